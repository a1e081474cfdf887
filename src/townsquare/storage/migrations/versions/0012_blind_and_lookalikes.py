"""Look-alike handles (each account's TR39 skeleton, unique) and reveals in a case's
deliberation (a comment's kind).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 15:00:00

Existing accounts get their skeleton oldest first. Where a handle already looks like an
older one (`aIice` registered after `alice`), both accounts are kept and the younger one's
skeleton is left NULL: the older handle still blocks every new look-alike, and nobody loses
an account to a rule that did not exist when they registered it.

The skeleton is computed here by a frozen copy of the algorithm with the only TR39 data it
needs, so that this revision gives the same result whatever later happens to the application
code or its Unicode table.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_accounts = sa.table(
    "accounts",
    sa.column("id", sa.BigInteger()),
    sa.column("username", sa.String()),
    sa.column("username_skeleton", sa.String()),
)


# Handles have always been `[A-Za-z0-9_]{1,30}` (microblog `check_handle`). Of those
# characters, these four are the only ones Unicode's confusables.txt (MA table, Unicode 15.0)
# maps to something else, and every prototype is itself made of handle characters, so both
# passes below stay within this table. ASCII is its own NFD: no normalization is needed.
_HANDLE_PROTOTYPES = {"0": "O", "1": "l", "I": "l", "m": "rn"}


def _skeleton(text: str) -> str:
    return "".join(_HANDLE_PROTOTYPES.get(char, char) for char in text)


def _handle_skeleton(handle: str) -> str:
    # As `townsquare.microblog._lookalikes.handle_skeleton` computes it at this revision
    # (a migration is frozen: it must not change when that module does).
    return _skeleton(_skeleton(handle).casefold()).casefold()


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
    seen: set[str] = set()
    rows = conn.execute(sa.select(_accounts.c.id, _accounts.c.username).order_by(_accounts.c.id))
    for account_id, username in rows.all():
        skeleton = _handle_skeleton(username)
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
