"""What the viewpoint groups are inferred from, read from the database: every account, who
follows whom, and each rater's factor from the latest notes scoring run that scored them.

Read only. Nothing here is stored: the groups are computed when an audit runs and live in
its output, so no moderation code can read them (docs/design/audit.md).
"""

import numpy as np
from sqlalchemy import Connection, select

from townsquare.audits._viewpoints import (
    FollowEdges,
    ViewpointParameters,
    Viewpoints,
    infer_viewpoints,
)
from townsquare.storage import tables

__all__ = ["read_viewpoints"]


def read_viewpoints(conn: Connection, parameters: ViewpointParameters | None = None) -> Viewpoints:
    """Every account's viewpoint score and group, from the follows and notes ratings in `conn`."""
    accounts = np.fromiter(conn.scalars(select(tables.accounts.c.id)), dtype=np.int64)
    return infer_viewpoints(accounts, _follows(conn), _rater_factors(conn), parameters)


def _follows(conn: Connection) -> FollowEdges:
    follows = tables.follows
    rows = conn.execute(select(follows.c.account_id, follows.c.target_id)).all()
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    return FollowEdges(follower=pairs[:, 0], followed=pairs[:, 1])


def _rater_factors(conn: Connection) -> dict[int, float]:
    scores = tables.note_rater_scores
    rows = conn.execute(
        select(scores.c.rater_id, scores.c.factor).where(scores.c.factor.is_not(None))
    ).all()
    return {int(rater): float(factor) for rater, factor in rows}
