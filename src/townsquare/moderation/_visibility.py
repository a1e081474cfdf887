"""The microblog's visibility port, implemented from the projections: one query per page
for the restrictions, one for the community notes shown (`note_statuses`).

Geo-restriction needs the viewer's country. The port's signature has no room for it, so the
HTTP edge sets it for the request with `viewer_country(...)` (a context variable); while no
country is known, a geo-restricted post is shown, since it is withheld only *in* the named
territories.
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from urllib.parse import urlsplit

from sqlalchemy import Connection

from townsquare.kernel import Clock
from townsquare.microblog import (
    HiddenBecause,
    LabelledBecause,
    PostLabel,
    Presentation,
    Surface,
    Tombstone,
    parse_text,
)
from townsquare.moderation._note_statuses import shown_notes_on_posts
from townsquare.moderation._policies import ActionKind, PolicySet
from townsquare.moderation._policy_errors import UnknownClauseError
from townsquare.moderation._projection import Restriction, restrictions_on_posts

__all__ = ["ModerationVisibility", "link_matches", "viewer_country"]

_COUNTRY: ContextVar[str | None] = ContextVar("townsquare_viewer_country", default=None)
_ALWAYS_HIDDEN = frozenset({ActionKind.REMOVE, ActionKind.SUSPEND, ActionKind.BLOCK_URL})
_REDUCED = frozenset({ActionKind.REDUCE_REACH, ActionKind.LIMIT})


@contextmanager
def viewer_country(code: str | None) -> Iterator[None]:
    """Within the block, the port treats the viewer as being in country `code` (ISO alpha-2)."""
    token = _COUNTRY.set(code.upper() if code else None)
    try:
        yield
    finally:
        _COUNTRY.reset(token)


class ModerationVisibility:
    """Implements `townsquare.microblog.VisibilityPort` over the visibility projection.

    A tombstone names the rule by its titles in every language `policies` holds for the
    cited version (the projection keeps only the English one), so each edge can word it.
    """

    def __init__(self, clock: Clock, policies: PolicySet | None = None) -> None:
        self._clock = clock
        self._policies = policies

    def presentations(
        self,
        conn: Connection,
        viewer_id: int | None,
        post_ids: Sequence[int],
        surface: Surface,
    ) -> Mapping[int, Presentation]:
        found: dict[int, list[Restriction]] = {}
        for post_id, restriction, text in restrictions_on_posts(conn, post_ids, self._clock.now()):
            if restriction.url is None or (text is not None and _links_to(text, restriction.url)):
                kept = found.setdefault(post_id, [])
                if all(r.action_id != restriction.action_id for r in kept):  # once per version
                    kept.append(restriction)
        country = _COUNTRY.get()
        notes = shown_notes_on_posts(conn, post_ids)
        return {
            post_id: replace(
                self._present(post_id, found.get(post_id, []), surface, country),
                notes=tuple(notes.get(post_id, ())),
            )
            for post_id in post_ids
        }

    def _present(
        self, post_id: int, restrictions: list[Restriction], surface: Surface, country: str | None
    ) -> Presentation:
        visible, tombstone = True, None
        labels: list[PostLabel] = []
        warnings: list[str] = []
        for r in sorted(restrictions, key=lambda r: r.action_id):
            hidden = (
                r.kind in _ALWAYS_HIDDEN
                or (r.kind in _REDUCED and surface.value in r.surfaces)
                or (r.kind == ActionKind.GEO_RESTRICT and country in r.territories)
            )
            if hidden and visible:
                visible, tombstone = False, self._tombstone(r, country)
            if r.kind in _REDUCED or r.kind == ActionKind.LABEL:
                labels.append(self._label(r))
            if r.kind == ActionKind.INTERSTITIAL and r.content_warning:
                warnings.append(r.content_warning)
        return Presentation(
            visible=visible,
            labels=tuple(labels),
            content_warning="; ".join(warnings) or None,
            tombstone=tombstone,
        )

    def _tombstone(self, r: Restriction, country: str | None) -> Tombstone:
        return Tombstone(
            because=_HIDDEN_BECAUSE.get(r.kind, HiddenBecause.REMOVED),
            clause=r.clause,
            clause_title=self._titles(r),
            link=r.url if r.kind == ActionKind.BLOCK_URL else None,
            country=country if r.kind == ActionKind.GEO_RESTRICT else None,
        )

    def _label(self, r: Restriction) -> PostLabel:
        reduced = r.kind in _REDUCED
        return PostLabel(
            because=LabelledBecause.REACH_REDUCED if reduced else LabelledBecause.LABELLED,
            clause=r.clause,
            clause_title=self._titles(r),
            text=r.label or None,
            surfaces=tuple(Surface(s) for s in r.surfaces) if reduced else (),
        )

    def _titles(self, r: Restriction) -> Mapping[str, str]:
        if self._policies is not None:
            try:
                return self._policies.clause(r.clause).title
            except UnknownClauseError:
                pass  # a clause the running policy set lacks: its English title is logged
        return {"en": r.clause_title}


_HIDDEN_BECAUSE: Mapping[ActionKind, HiddenBecause] = {
    ActionKind.SUSPEND: HiddenBecause.ACCOUNT_SUSPENDED,
    ActionKind.BLOCK_URL: HiddenBecause.LINK_BLOCKED,
    ActionKind.GEO_RESTRICT: HiddenBecause.NOT_IN_COUNTRY,
    ActionKind.REDUCE_REACH: HiddenBecause.REACH_REDUCED,
    ActionKind.LIMIT: HiddenBecause.REACH_REDUCED,
}


def _links_to(text: str, key: str) -> bool:
    return any(link_matches(link, key) for link in parse_text(text).links)


def link_matches(link: str, key: str) -> bool:
    """Whether `link` falls under a URL block `key` (see `url_key`): a bare domain covers
    itself and its subdomains; a key with a path covers the URLs it prefixes."""
    parts = urlsplit(link.lower())
    host = parts.hostname or ""
    domain, slash, path = key.partition("/")
    if not slash:
        return host == domain or host.endswith("." + domain)
    written = (parts.path + ("?" + parts.query if parts.query else "")).lstrip("/")
    return host == domain and written.startswith(path)
