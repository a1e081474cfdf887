"""Look-alike handles (each account's TR39 skeleton, unique) and reveals in a case's
deliberation (a comment's kind).

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-04 15:00:00

Existing accounts get their skeleton oldest first. Where a handle already looks like an
older one (`aIice` registered after `alice`), both accounts are kept and the younger one's
skeleton is left NULL: the older handle still blocks every new look-alike, and nobody loses
an account to a rule that did not exist when they registered it.
"""

import icu
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0009"
branch_labels = None
depends_on = None

_accounts = sa.table(
    "accounts",
    sa.column("id", sa.BigInteger()),
    sa.column("username", sa.String()),
    sa.column("username_skeleton", sa.String()),
)


def _handle_skeleton(checker: icu.SpoofChecker, handle: str) -> str:
    # As `townsquare.microblog._lookalikes.handle_skeleton` computes it at this revision
    # (a migration is frozen: it must not change when that module does).
    first = str(checker.getSkeleton(0, handle)).casefold()
    return str(checker.getSkeleton(0, first)).casefold()


def upgrade() -> None:
    op.add_column("accounts", sa.Column("username_skeleton", sa.String(120), nullable=True))
    _fill_skeletons()
    op.create_index("ix_accounts_username_skeleton", "accounts", ["username_skeleton"], unique=True)
    op.add_column(
        "moderation_case_comments",
        sa.Column("kind", sa.String(10), nullable=False, server_default="comment"),
    )


def _fill_skeletons() -> None:
    conn = op.get_bind()
    checker = icu.SpoofChecker()
    seen: set[str] = set()
    rows = conn.execute(sa.select(_accounts.c.id, _accounts.c.username).order_by(_accounts.c.id))
    for account_id, username in rows.all():
        skeleton = _handle_skeleton(checker, username)
        if skeleton in seen:
            continue  # a look-alike of an older account: kept, without a skeleton
        seen.add(skeleton)
        conn.execute(
            sa.update(_accounts)
            .where(_accounts.c.id == account_id)
            .values(username_skeleton=skeleton)
        )


def downgrade() -> None:
    op.drop_column("moderation_case_comments", "kind")
    op.drop_index("ix_accounts_username_skeleton", table_name="accounts")
    op.drop_column("accounts", "username_skeleton")
