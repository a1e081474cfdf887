"""The visibility projection: the restrictions in force, one row per action.

A restriction is derived from its decision's ledger entry alone (`restriction_from_entry`),
so the stored projection can be rebuilt from the ledger (`_replay`). Writes happen only in
`apply_entry`, which only `enforce` calls, inside the transaction that appends the entry;
a test checks that no other module writes these tables.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    RowMapping,
    Text,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    null,
    or_,
    select,
    union_all,
)

from townsquare.ledger import JSON
from townsquare.moderation._policies import ActionKind
from townsquare.storage import Prebuilt, member_of
from townsquare.storage.tables import UtcDateTime, moderation_restrictions, post_versions, posts

__all__ = [
    "RESTRICTING_ACTIONS",
    "Restriction",
    "apply_entry",
    "is_in_force",
    "restriction_from_entry",
    "restrictions_on_posts",
    "stored_restrictions",
]

RESTRICTING_ACTIONS = frozenset(
    {
        ActionKind.LABEL,
        ActionKind.INTERSTITIAL,
        ActionKind.REDUCE_REACH,
        ActionKind.REMOVE,
        ActionKind.GEO_RESTRICT,
        ActionKind.LIMIT,
        ActionKind.SUSPEND,
        ActionKind.BLOCK_URL,
    }
)
_SEPARATOR = ","
_table = moderation_restrictions


@dataclass(frozen=True)
class Restriction:
    """One action in force. Exactly one of `post_id`, `account_id`, `url` is set."""

    action_id: int
    kind: ActionKind
    clause: str
    clause_title: str
    post_id: int | None = None
    account_id: int | None = None
    url: str | None = None
    surfaces: tuple[str, ...] = ()
    territories: tuple[str, ...] = ()
    label: str | None = None
    content_warning: str | None = None
    ends_at: datetime | None = None

    def in_force(self, now: datetime) -> bool:
        return self.ends_at is None or self.ends_at > now


def restriction_from_entry(fields: Mapping[str, JSON]) -> Restriction | None:
    """The restriction a `moderation.decision` entry puts in force (None if it restricts
    nothing: a warning, a restore or no action)."""
    kind = ActionKind(_text(fields, "action"))
    if kind not in RESTRICTING_ACTIONS:
        return None
    target = fields["target"]
    if not isinstance(target, Mapping):
        raise ValueError(f"entry target: expected an object, found {target!r}")
    ends = _optional_text(fields, "ends_at")
    title = fields["clause_title"]
    return Restriction(
        action_id=int(_text(fields, "action_id")),
        kind=kind,
        clause=_text(fields, "clause"),
        clause_title=str(title["en"]) if isinstance(title, Mapping) else str(title),
        post_id=int(_text(target, "id")) if target["kind"] == "post" else None,
        account_id=int(_text(target, "id")) if target["kind"] == "account" else None,
        url=_text(target, "url") if target["kind"] == "url" else None,
        surfaces=tuple(str(s) for s in _list(fields, "surfaces")),
        territories=tuple(str(t) for t in _list(fields, "territorial_scope")),
        label=_optional_text(fields, "label"),
        content_warning=_optional_text(fields, "content_warning"),
        ends_at=datetime.fromisoformat(ends) if ends else None,
    )


def apply_entry(conn: Connection, fields: Mapping[str, JSON]) -> None:
    """Apply a decision's entry to the stored projection, in the caller's transaction.

    MUST be called only by `enforce`, in the transaction that appends the same entry.
    """
    restores = _optional_text(fields, "restores")
    if restores is not None:
        conn.execute(delete(_table).where(_table.c.action_id == int(restores)))
    restriction = restriction_from_entry(fields)
    if restriction is not None:
        conn.execute(insert(_table), _row(restriction))


def is_in_force(conn: Connection, action_id: int) -> bool:
    """Whether the action still has a restriction in the projection (not yet restored)."""
    query = select(_table.c.action_id).where(_table.c.action_id == action_id)
    return conn.execute(query).first() is not None


def stored_restrictions(conn: Connection) -> frozenset[Restriction]:
    """The whole stored projection (for replay's comparison)."""
    return frozenset(_restriction(row._mapping) for row in conn.execute(select(_table)))


def restrictions_on_posts(
    conn: Connection, post_ids: Sequence[int], now: datetime
) -> list[tuple[int, Restriction, str | None]]:
    """(post id, restriction, post text for URL blocks) for every restriction in force on
    the posts: on the post itself, on its author, or on a URL its text — or the text of one
    of its earlier versions — may contain (a URL block found in several versions comes once
    for each; the caller keeps the restriction once).

    One statement. URL rows are a superset (a substring test); the caller confirms them
    against the post's parsed links.
    """
    if not post_ids:
        return []
    rows = _RESTRICTIONS.rows(conn, ids=post_ids, now=now)
    return [
        (row[0], _restriction(dict(zip(_RESTRICTION_KEYS, row[1:-1], strict=True))), row[-1])
        for row in rows
    ]


def _restrictions_in_force() -> Prebuilt:
    wanted = and_(
        member_of(posts.c.id, "ids"),
        or_(_table.c.ends_at.is_(None), _table.c.ends_at > bindparam("now", type_=UtcDateTime)),
    )
    columns = [posts.c.id.label("on_post"), *_table.c]
    no_text = cast(null(), Text).label("post_text")
    by_post = select(*columns, no_text).join_from(posts, _table, _table.c.post_id == posts.c.id)
    by_author = select(*columns, no_text).join_from(
        posts, _table, _table.c.account_id == posts.c.account_id
    )
    by_url = select(*columns, posts.c.text.label("post_text")).join_from(
        posts,
        _table,
        and_(_table.c.url.is_not(None), func.lower(posts.c.text).contains(_table.c.url)),
    )
    # A link an edit took out still counts: the earlier version stays in the post's history.
    earlier = post_versions
    by_earlier_url = (
        select(*columns, earlier.c.text.label("post_text"))
        .join_from(posts, earlier, earlier.c.post_id == posts.c.id)
        .join(
            _table,
            and_(_table.c.url.is_not(None), func.lower(earlier.c.text).contains(_table.c.url)),
        )
    )
    return Prebuilt(
        union_all(
            by_post.where(wanted),
            by_author.where(wanted),
            by_url.where(wanted),
            by_earlier_url.where(wanted),
        )
    )


_RESTRICTIONS = _restrictions_in_force()
_RESTRICTION_KEYS = tuple(c.key for c in _table.c)


def _row(restriction: Restriction) -> dict[str, Any]:
    return {
        "action_id": restriction.action_id,
        "kind": restriction.kind.value,
        "post_id": restriction.post_id,
        "account_id": restriction.account_id,
        "url": restriction.url,
        "surfaces": _SEPARATOR.join(restriction.surfaces),
        "territories": _SEPARATOR.join(restriction.territories),
        "label": restriction.label,
        "content_warning": restriction.content_warning,
        "clause": restriction.clause,
        "clause_title": restriction.clause_title,
        "ends_at": restriction.ends_at,
    }


def _restriction(row: Mapping[str, Any] | RowMapping) -> Restriction:
    return Restriction(
        action_id=row["action_id"],
        kind=ActionKind(row["kind"]),
        clause=row["clause"],
        clause_title=row["clause_title"],
        post_id=row["post_id"],
        account_id=row["account_id"],
        url=row["url"],
        surfaces=_split(row["surfaces"]),
        territories=_split(row["territories"]),
        label=row["label"],
        content_warning=row["content_warning"],
        ends_at=row["ends_at"],
    )


def _split(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(_SEPARATOR)) if joined else ()


def _text(fields: Mapping[str, JSON], key: str) -> str:
    value = fields[key]
    if not isinstance(value, str):
        raise ValueError(f"entry field {key!r}: expected a string, found {value!r}")
    return value


def _optional_text(fields: Mapping[str, JSON], key: str) -> str | None:
    return None if fields.get(key) is None else _text(fields, key)


def _list(fields: Mapping[str, JSON], key: str) -> list[JSON]:
    value = fields.get(key)
    return list(value) if isinstance(value, list) else []
