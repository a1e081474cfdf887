"""Rows to values. The only place that knows column names map to model fields.

`ACCOUNT_COLUMNS` and `POST_COLUMNS` are what a statement selects to make an `Account` or a
`Post`; `account_from_values` and `post_from_values` read them by position (prebuilt
statements hand out plain tuples), `account_from_row` and `post_from_row` by name from any
row that has them.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row

from townsquare.microblog._models import Account, Post, PostVisibility, Role
from townsquare.microblog._text import render_plain_html
from townsquare.storage.tables import accounts, posts

__all__ = [
    "ACCOUNT_COLUMNS",
    "POST_COLUMNS",
    "account_from_row",
    "account_from_values",
    "bio_as_html",
    "post_from_row",
    "post_from_values",
]

ACCOUNT_COLUMNS = (
    accounts.c.id,
    accounts.c.username,
    accounts.c.display_name,
    accounts.c.bio,
    accounts.c.bio_html,
    accounts.c.role,
    accounts.c.locale,
    accounts.c.created_at,
    accounts.c.last_status_at,
    accounts.c.statuses_count,
    accounts.c.followers_count,
    accounts.c.following_count,
    accounts.c.email,
    accounts.c.locked,
)

POST_COLUMNS = (
    posts.c.id,
    posts.c.account_id,
    posts.c.text,
    posts.c.content_html,
    posts.c.spoiler_text,
    posts.c.sensitive,
    posts.c.language,
    posts.c.visibility,
    posts.c.in_reply_to_id,
    posts.c.in_reply_to_account_id,
    posts.c.reblog_of_id,
    posts.c.quote_of_id,
    posts.c.created_at,
    posts.c.replies_count,
    posts.c.reblogs_count,
    posts.c.favourites_count,
    posts.c.edited_at,
    posts.c.has_poll,
)

_ACCOUNT_KEYS = tuple(c.key for c in ACCOUNT_COLUMNS)
_POST_KEYS = tuple(c.key for c in POST_COLUMNS)


def bio_as_html(bio: str) -> str:
    """What `accounts.bio_html` holds for `bio`."""
    return render_plain_html(bio) if bio else ""


def account_from_values(v: Sequence[Any]) -> Account:
    """An account from the values of `ACCOUNT_COLUMNS`, in order."""
    bio, bio_html = v[3], v[4]
    return Account(
        id=v[0],
        username=v[1],
        display_name=v[2],
        bio=bio,
        bio_html=bio_as_html(bio) if bio_html is None else bio_html,
        role=Role(v[5]),
        locale=v[6],
        created_at=v[7],
        last_status_at=v[8],
        statuses_count=v[9],
        followers_count=v[10],
        following_count=v[11],
        email=v[12],
        locked=bool(v[13]),
    )


def post_from_values(v: Sequence[Any]) -> Post:
    """A post from the values of `POST_COLUMNS`, in order."""
    return Post(
        id=v[0],
        account_id=v[1],
        text=v[2],
        content_html=v[3],
        spoiler_text=v[4],
        sensitive=bool(v[5]),
        language=v[6],
        visibility=PostVisibility(v[7]),
        in_reply_to_id=v[8],
        in_reply_to_account_id=v[9],
        reblog_of_id=v[10],
        quote_of_id=v[11],
        created_at=v[12],
        replies_count=v[13],
        reblogs_count=v[14],
        favourites_count=v[15],
        edited_at=v[16],
        has_poll=bool(v[17]),
    )


def account_from_row(row: Row[Any]) -> Account:
    m = row._mapping
    return account_from_values([m[key] for key in _ACCOUNT_KEYS])


def post_from_row(row: Row[Any]) -> Post:
    m = row._mapping
    return post_from_values([m[key] for key in _POST_KEYS])
