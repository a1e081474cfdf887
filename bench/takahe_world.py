"""The timeline benchmark's world, written into Takahē's tables, for `bench/peers.py`.

The world comes from the same generator as ours (`bulk_world.py`): it is built into a
Townsquare PostgreSQL database first, then each table is streamed from there into a Takahē
database (migrated by Takahē's own `manage.py migrate`) with `COPY (SELECT …) TO STDOUT` on
one side and `COPY … FROM STDIN` on the other, the SELECT turning our rows into Takahē's
columns. Ids are kept, so a post or an account has the same id on both servers and their
pages can be compared.

How our rows map onto Takahē's schema (read from its models and migrations):

- an account is a local `users_identity` on one local domain, with a `users_user` each;
- a follow is an accepted `users_follow`;
- a post is an `activities_post` in its settled state (`fanned_out`), followers-only posts
  with Takahē's followers visibility; a reply names its parent by object URI and mentions
  its parent's author, as Takahē does when it writes a reply;
- a repost is a boost (`activities_postinteraction`) whose id is the repost's id, a like a
  like interaction;
- the home timeline is fan-out on write in Takahē: a `activities_timelineevent` row per post
  and viewer. Rows are written for the accounts that hold benchmark tokens only (the home
  timelines the benchmark reads), each holding exactly what our home timeline shows that
  account (see `_HOME`). Fanning out every account's timeline would be about a hundred
  million rows for the full world; the others' rows are never read by the benchmark, but
  their absence keeps Takahē's table and indexes smaller than a real server's.

No background worker (Takahē's Stator) needs to run: every row is in a settled state.
"""

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import psycopg
from bulk_world import WorldSpec
from psycopg import sql

__all__ = ["TAKAHE_DOMAIN", "issue_takahe_tokens", "load_takahe_world"]

TAKAHE_DOMAIN = "takahe.bench"
_ACTOR = f"'https://{TAKAHE_DOMAIN}/@' || {{username}} || '@{TAKAHE_DOMAIN}/'"
_TOKEN_SCOPES = '["read", "write", "follow", "push"]'

Progress = Callable[[str], None]


@dataclass(frozen=True)
class _Copy:
    """One Takahē table, filled from a SELECT on the Townsquare database whose columns are
    in `columns` order."""

    table: str
    columns: str
    select: str


_IDENTITIES = _Copy(
    "users_identity",
    "id, state, state_changed, actor_uri, local, username, name, summary, domain_id,"
    " discoverable, restriction, sensitive, actor_type, created, updated",
    f"""SELECT a.id, 'updated', a.created_at, {_ACTOR.format(username="a.username")}, true,
               a.username, a.display_name, NULLIF(a.bio, ''), '{TAKAHE_DOMAIN}',
               true, 0, false, 'person', a.created_at, a.created_at
        FROM accounts a""",
)
# Users get the rank of their account's id as their own id, so the link table can be
# derived the same way.
_USERS = _Copy(
    "users_user",
    "id, password, email, admin, moderator, banned, deleted, created, updated, last_seen",
    f"""SELECT row_number() OVER (ORDER BY a.id), '!', a.username || '@{TAKAHE_DOMAIN}',
               false, false, false, false, a.created_at, a.created_at, a.created_at
        FROM accounts a""",
)
_IDENTITY_USERS = _Copy(
    "users_identity_users",
    "identity_id, user_id",
    "SELECT a.id, row_number() OVER (ORDER BY a.id) FROM accounts a",
)
_FOLLOWS = _Copy(
    "users_follow",
    "id, state, state_changed, source_id, target_id, boosts, created, updated",
    """SELECT row_number() OVER (ORDER BY f.account_id, f.target_id), 'accepted', f.created_at,
              f.account_id, f.target_id, true, f.created_at, f.created_at
       FROM follows f""",
)
_POSTS = _Copy(
    "activities_post",
    "id, state, state_changed, local, object_uri, url, visibility, content, sensitive,"
    " in_reply_to, hashtags, published, created, updated, author_id, type, stats",
    f"""SELECT p.id, 'fanned_out', p.created_at, true,
               {_ACTOR.format(username="a.username")} || 'posts/' || p.id || '/',
               'https://{TAKAHE_DOMAIN}/@' || a.username || '/posts/' || p.id || '/',
               CASE p.visibility WHEN 'public' THEN 0 WHEN 'unlisted' THEN 1
                                 WHEN 'private' THEN 2 ELSE 3 END,
               p.content_html, p.sensitive,
               CASE WHEN p.in_reply_to_id IS NOT NULL THEN
                 {_ACTOR.format(username="pa.username")} || 'posts/' || p.in_reply_to_id || '/'
               END,
               tagged.names, p.created_at, p.created_at, p.created_at, p.account_id, 'Note',
               jsonb_build_object('likes', p.favourites_count, 'boosts', p.reblogs_count,
                                  'replies', p.replies_count)
        FROM posts p
        JOIN accounts a ON a.id = p.account_id
        LEFT JOIN accounts pa ON pa.id = p.in_reply_to_account_id
        LEFT JOIN (SELECT pt.post_id, jsonb_agg(t.name ORDER BY t.name) AS names
                   FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
                   GROUP BY pt.post_id) tagged ON tagged.post_id = p.id
        WHERE p.reblog_of_id IS NULL""",
)
_MENTIONS = _Copy(
    "activities_post_mentions",
    "post_id, identity_id",
    """SELECT post_id, account_id FROM post_mentions
       UNION
       SELECT id, in_reply_to_account_id FROM posts
       WHERE in_reply_to_account_id IS NOT NULL AND reblog_of_id IS NULL""",
)
_INTERACTIONS = _Copy(
    "activities_postinteraction",
    "id, state, state_changed, type, published, created, updated, identity_id, post_id",
    """SELECT id, 'fanned_out', created_at, 'boost', created_at, created_at, created_at,
              account_id, reblog_of_id
       FROM posts WHERE reblog_of_id IS NOT NULL
       UNION ALL
       SELECT id, 'fanned_out', created_at, 'like', created_at, created_at, created_at,
              account_id, post_id
       FROM favourites""",
)
# Townsquare's home timeline (microblog/_timelines.py, `Timelines.home`): the posts and
# reposts of the accounts a viewer follows and their own, less other people's replies to
# accounts the viewer does not follow.
_HOME = """
    WITH viewers AS (SELECT unnest({viewers}::bigint[]) AS id),
    sources AS (
        SELECT f.account_id AS viewer, f.target_id AS author
        FROM follows f JOIN viewers v ON v.id = f.account_id
        UNION ALL
        SELECT id, id FROM viewers
    )
    SELECT CASE WHEN p.reblog_of_id IS NULL THEN 'post' ELSE 'boost' END,
           p.created_at, s.viewer,
           CASE WHEN p.reblog_of_id IS NULL THEN NULL ELSE p.account_id END,
           COALESCE(p.reblog_of_id, p.id),
           CASE WHEN p.reblog_of_id IS NULL THEN NULL ELSE p.id END,
           p.created_at, false, false
    FROM sources s JOIN posts p ON p.account_id = s.author
    WHERE p.account_id = s.viewer
       OR p.in_reply_to_account_id IS NULL
       OR p.in_reply_to_account_id = s.viewer
       OR EXISTS (SELECT 1 FROM follows g
                  WHERE g.account_id = s.viewer AND g.target_id = p.in_reply_to_account_id)
"""
_TIMELINE_COLUMNS = (
    "type, created, identity_id, subject_identity_id, subject_post_id,"
    " subject_post_interaction_id, published, seen, dismissed"
)
_FILLED = (
    "activities_timelineevent", "activities_postinteraction", "activities_post_mentions",
    "activities_post", "users_follow", "users_identity_users",
    "api_token", "users_identity", "users_user", "users_domain",
)  # fmt: skip


def load_takahe_world(
    townsquare_url: str,
    takahe_url: str,
    spec: WorldSpec,
    viewers: list[int],
    say: Progress,
) -> bool:
    """Copy the world in the Townsquare database at `townsquare_url` into the Takahē
    database at `takahe_url`, with home timelines for `viewers`, unless it holds that
    already. True if it was loaded. Both URLs are libpq URLs (postgresql://…)."""
    fingerprint = _fingerprint(spec, viewers)
    with psycopg.connect(takahe_url, autocommit=True) as takahe:
        _check_migrated(takahe, takahe_url)
        takahe.execute("CREATE TABLE IF NOT EXISTS bench_world (fingerprint text)")
        found = takahe.execute("SELECT fingerprint FROM bench_world").fetchone()
        if found is not None and found[0] == fingerprint:
            say(f"Takahē: reusing the world {fingerprint}")
            return False
        say(f"Takahē: loading the world {fingerprint} (found {found[0] if found else 'none'})")
        with psycopg.connect(townsquare_url) as townsquare, takahe.transaction():
            _empty(takahe)
            _insert_domain(takahe)
            for copy in (_IDENTITIES, _USERS, _IDENTITY_USERS, _FOLLOWS, _POSTS, _MENTIONS):
                _stream(townsquare, takahe, copy, say)
            _stream(townsquare, takahe, _INTERACTIONS, say)
            home = sql.SQL(_HOME).format(viewers=sql.Literal(viewers)).as_string(townsquare)
            _stream(
                townsquare, takahe, _Copy("activities_timelineevent", _TIMELINE_COLUMNS, home), say
            )
            _restart_sequences(takahe)
            takahe.execute("DELETE FROM bench_world")
            takahe.execute("INSERT INTO bench_world VALUES (%s)", (fingerprint,))
        say("Takahē: analysing")
        takahe.execute("ANALYZE")
    return True


def issue_takahe_tokens(takahe_url: str, tokens: Mapping[str, int]) -> None:
    """Store `tokens` (bearer token → account id) as Takahē's API tokens, replacing any
    earlier ones, under one application. Takahē keeps a token's text as it is."""
    with psycopg.connect(takahe_url) as takahe, takahe.transaction():
        takahe.execute("DELETE FROM api_token")
        takahe.execute("DELETE FROM api_application WHERE client_id = 'bench'")
        application = takahe.execute(
            """INSERT INTO api_application
               (client_id, client_secret, redirect_uris, scopes, name, created, updated)
               VALUES ('bench', 'bench', 'urn:ietf:wg:oauth:2.0:oob', 'read write follow push',
                       'bench', now(), now())
               RETURNING id"""
        ).fetchone()
        assert application is not None  # INSERT … RETURNING returns its row
        with takahe.cursor().copy(
            "COPY api_token (token, scopes, created, updated, application_id, identity_id,"
            " user_id) FROM STDIN"
        ) as copy:
            for token, account_id in tokens.items():
                copy.write_row(
                    (token, _TOKEN_SCOPES, "now", "now", application[0], account_id, None)
                )
        takahe.execute(
            """UPDATE api_token t SET user_id = iu.user_id
               FROM users_identity_users iu WHERE iu.identity_id = t.identity_id"""
        )


def _fingerprint(spec: WorldSpec, viewers: list[int]) -> str:
    digest = hashlib.sha256(",".join(map(str, viewers)).encode()).hexdigest()[:12]
    return f"{spec.fingerprint}-home{len(viewers)}-{digest}"


def _check_migrated(takahe: psycopg.Connection[tuple[object, ...]], url: str) -> None:
    found = takahe.execute("SELECT to_regclass('activities_timelineevent')").fetchone()
    if found is None or found[0] is None:
        raise SystemExit(
            f"the Takahē database {url} has no Takahē tables: run Takahē's"
            " `manage.py migrate` on it first (bench/README.md, 'Takahē')"
        )


def _empty(takahe: psycopg.Connection[tuple[object, ...]]) -> None:
    names = sql.SQL(", ").join(sql.Identifier(name) for name in _FILLED)
    takahe.execute(sql.SQL("TRUNCATE {} CASCADE").format(names))


def _insert_domain(takahe: psycopg.Connection[tuple[object, ...]]) -> None:
    takahe.execute(
        """INSERT INTO users_domain (domain, local, blocked, public, "default", state,
                                     state_changed, created, updated)
           VALUES (%s, true, false, true, true, 'updated', now(), now(), now())""",
        (TAKAHE_DOMAIN,),
    )


def _stream(
    townsquare: psycopg.Connection[tuple[object, ...]],
    takahe: psycopg.Connection[tuple[object, ...]],
    copy: _Copy,
    say: Progress,
) -> None:
    out_statement = f"COPY ({copy.select}) TO STDOUT"
    in_statement = f"COPY {copy.table} ({copy.columns}) FROM STDIN"
    with (
        townsquare.cursor().copy(out_statement) as source,
        takahe.cursor().copy(in_statement) as target,
    ):
        for block in source:
            target.write(block)
    count = takahe.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(copy.table)))
    row = count.fetchone()
    say(f"Takahē: {copy.table}: {row[0] if row else 0:,} rows")


def _restart_sequences(takahe: psycopg.Connection[tuple[object, ...]]) -> None:
    """The users' identity column, filled with explicit ids, continues after the largest."""
    takahe.execute(
        "SELECT setval(pg_get_serial_sequence('users_user', 'id'),"
        " (SELECT COALESCE(max(id), 1) FROM users_user))"
    )
