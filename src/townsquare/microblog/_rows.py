"""Rows to values. The only place that knows column names map to model fields."""

from typing import Any

from sqlalchemy import Row

from townsquare.microblog._models import Account, Post, PostVisibility, Role
from townsquare.microblog._text import render_plain_html

__all__ = ["account_from_row", "post_from_row"]


def account_from_row(row: Row[Any]) -> Account:
    m = row._mapping
    return Account(
        id=m["id"],
        username=m["username"],
        display_name=m["display_name"],
        bio=m["bio"],
        bio_html=render_plain_html(m["bio"]) if m["bio"] else "",
        role=Role(m["role"]),
        locale=m["locale"],
        created_at=m["created_at"],
        last_status_at=m["last_status_at"],
        statuses_count=m["statuses_count"],
        followers_count=m["followers_count"],
        following_count=m["following_count"],
        email=m["email"],
    )


def post_from_row(row: Row[Any]) -> Post:
    m = row._mapping
    return Post(
        id=m["id"],
        account_id=m["account_id"],
        text=m["text"],
        content_html=m["content_html"],
        spoiler_text=m["spoiler_text"],
        sensitive=bool(m["sensitive"]),
        language=m["language"],
        visibility=PostVisibility(m["visibility"]),
        in_reply_to_id=m["in_reply_to_id"],
        in_reply_to_account_id=m["in_reply_to_account_id"],
        reblog_of_id=m["reblog_of_id"],
        quote_of_id=m["quote_of_id"],
        created_at=m["created_at"],
        replies_count=m["replies_count"],
        reblogs_count=m["reblogs_count"],
        favourites_count=m["favourites_count"],
    )
