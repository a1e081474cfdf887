"""A post's public "why?" receipt: every ledger entry that affects how it is shown."""

from datetime import datetime

from sqlalchemy import Connection, and_, func, literal, or_, select

from townsquare.ledger import leaf_hash
from townsquare.microblog import parse_text
from townsquare.moderation._appeals import decided_appeal_entries
from townsquare.moderation._note_statuses import note_change_leaves
from townsquare.moderation._request_service import unsealed_request_leaves
from townsquare.moderation._visibility import link_matches
from townsquare.storage.tables import ledger_entries, moderation_actions, post_versions, posts

__all__ = ["ledger_indexes_for_post"]

_actions = moderation_actions


def ledger_indexes_for_post(conn: Connection, post_id: int, now: datetime) -> list[int]:
    """Indexes (in tree order) of the decisions on the post, on its author's account and on
    URLs it links to, restores and no-action decisions included, of the outcomes of appeals
    against those decisions, and of the entries of outside requests that named the post and
    are not sealed at `now`, and of the status changes of the notes on the post. Entries the
    sequencer has not integrated yet have no index and are not listed. URLs are those of
    every version of the post: an edit that drops a blocked link leaves its decision on
    the receipt."""
    post = conn.execute(select(posts.c.account_id, posts.c.text).where(posts.c.id == post_id))
    found = post.first()
    author, text = (found.account_id, found.text) if found is not None else (None, "")
    earlier = select(post_versions.c.text).where(post_versions.c.post_id == post_id)
    text = "\n".join([*conn.execute(earlier).scalars(), text])
    on_post = and_(_actions.c.target_kind == "post", _actions.c.post_id == post_id)
    on_author = and_(_actions.c.target_kind == "account", _actions.c.account_id == author)
    on_url = and_(
        _actions.c.target_kind == "url",
        func.lower(literal(text)).contains(_actions.c.url),
    )
    rows = conn.execute(
        select(_actions.c.id, _actions.c.leaf_hash, _actions.c.url).where(
            or_(on_post, on_author, on_url)
        )
    ).all()
    links = parse_text(text).links
    affecting = [
        row for row in rows if row.url is None or any(link_matches(link, row.url) for link in links)
    ]
    hashes = [row.leaf_hash for row in affecting]
    # An appeal's outcome is not an action: its entry is found from the appeal as stored.
    appealed = decided_appeal_entries(conn, [row.id for row in affecting])
    hashes += [leaf_hash(entry) for entry in appealed]
    hashes += unsealed_request_leaves(conn, post_id, now)
    hashes += note_change_leaves(conn, post_id)
    if not hashes:
        return []
    query = select(ledger_entries.c.idx).where(ledger_entries.c.leaf_hash.in_(hashes))
    return sorted(conn.execute(query).scalars())
