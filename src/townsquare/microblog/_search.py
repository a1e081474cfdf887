"""Full-text search of posts, accounts and hashtags, accent-insensitive in any language.

Indexed text and queries go through the same `normalize_for_search` (lower case, accents
removed), so "election" finds "Élection" and "élection" finds "election". SQLite uses FTS5,
PostgreSQL a tsvector with the language-neutral `simple` configuration; both match every
word of the query, the last one as a prefix.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, func, literal_column, select, text

from townsquare.microblog._context import Context
from townsquare.microblog._hydrate import hydrate
from townsquare.microblog._models import Account, PostView, PostVisibility
from townsquare.microblog._rows import account_from_row, post_from_row
from townsquare.microblog._text import normalize_for_search
from townsquare.microblog._visibility import Surface
from townsquare.storage.tables import accounts, blocks, follows, posts, tags

__all__ = ["Search", "SearchResults", "search_terms"]

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchResults:
    accounts: tuple[Account, ...] = ()
    posts: tuple[PostView, ...] = ()
    hashtags: tuple[str, ...] = ()


def search_terms(query: str) -> list[str]:
    """The words of a query, normalised; punctuation is a separator, never syntax."""
    normalized = normalize_for_search(query[:MAX_QUERY_LENGTH])
    cleaned = "".join(ch if ch.isalnum() else " " for ch in normalized)
    return cleaned.split()[:10]


def _like_pattern(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Search:
    def __init__(self, context: Context) -> None:
        self._ctx = context

    def everything(
        self,
        viewer_id: int | None,
        query: str,
        *,
        kinds: frozenset[str] = frozenset({"accounts", "statuses", "hashtags"}),
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResults:
        stripped = query.strip()
        if stripped.startswith("#"):
            kinds &= {"hashtags", "statuses"}
        elif stripped.startswith("@"):
            kinds &= {"accounts"}
        terms = search_terms(stripped)
        if not terms:
            return SearchResults()
        with self._ctx.db.read() as c:
            return SearchResults(
                accounts=tuple(self._accounts(c, terms, limit, offset, viewer_id))
                if "accounts" in kinds
                else (),
                posts=tuple(self._posts(c, viewer_id, terms, limit, offset))
                if "statuses" in kinds
                else (),
                hashtags=tuple(self._hashtags(c, terms, limit, offset))
                if "hashtags" in kinds
                else (),
            )

    def accounts(
        self,
        query: str,
        *,
        viewer_id: int | None = None,
        following_only: bool = False,
        limit: int = 40,
        offset: int = 0,
    ) -> list[Account]:
        """Accounts matching every word of `query` (a leading `@` is allowed), most followed
        first, leaving out those that block the viewer; with `following_only`, only the
        accounts the viewer follows."""
        terms = search_terms(query.strip())
        if not terms or (following_only and viewer_id is None):
            return []
        with self._ctx.db.read() as c:
            return self._accounts(c, terms, limit, offset, viewer_id, following_only=following_only)

    def _posts(
        self, c: Connection, viewer_id: int | None, terms: list[str], limit: int, offset: int
    ) -> list[PostView]:
        listed = and_(
            posts.c.visibility == PostVisibility.PUBLIC.value, posts.c.reblog_of_id.is_(None)
        )
        if c.dialect.name == "sqlite":
            match = " ".join(f'"{t}"' for t in terms[:-1]) + f' "{terms[-1]}"*'
            matching: Select[tuple[Any]] = (
                select(literal_column("rowid"))
                .select_from(text("posts_fts"))
                .where(text("posts_fts MATCH :match"))
            )
            query = select(posts).where(listed, posts.c.id.in_(matching)).params(match=match)
        else:
            tsquery = " & ".join([*terms[:-1], f"{terms[-1]}:*"])
            query = (
                select(posts)
                .where(listed, text("posts.search_vector @@ to_tsquery('simple', :match)"))
                .params(match=tsquery)
            )
        rows = c.execute(query.order_by(posts.c.id.desc()).limit(limit).offset(offset))
        found = [post_from_row(r) for r in rows]
        return hydrate(c, self._ctx, viewer_id, found, Surface.SEARCH)

    @staticmethod
    def _accounts(
        c: Connection,
        terms: list[str],
        limit: int,
        offset: int,
        viewer_id: int | None = None,
        *,
        following_only: bool = False,
    ) -> list[Account]:
        conditions = [
            accounts.c.search_text.like(f"%{_like_pattern(t)}%", escape="\\") for t in terms
        ]
        if viewer_id is not None:
            blocking = select(blocks.c.account_id).where(blocks.c.target_id == viewer_id)
            conditions.append(accounts.c.id.not_in(blocking))
        if following_only:
            followed = select(follows.c.target_id).where(follows.c.account_id == viewer_id)
            conditions.append(accounts.c.id.in_(followed))
        rows = c.execute(
            select(accounts)
            .where(and_(*conditions))
            .order_by(accounts.c.followers_count.desc(), accounts.c.id)
            .limit(limit)
            .offset(offset)
        )
        return [account_from_row(r) for r in rows]

    @staticmethod
    def _hashtags(c: Connection, terms: list[str], limit: int, offset: int) -> list[str]:
        prefix = _like_pattern("".join(terms))
        rows = c.execute(
            select(tags.c.name)
            .where(tags.c.search_text.like(f"{prefix}%", escape="\\"))
            .order_by(func.length(tags.c.name), tags.c.name)
            .limit(limit)
            .offset(offset)
        )
        return [r.name for r in rows]
