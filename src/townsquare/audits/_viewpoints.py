"""One viewpoint score per account, from behaviour only, and the neutral groups it gives.

Two behaviours carry a viewpoint without anyone declaring one:

- **how an account rates Community Notes.** The notes model's rater factor is the axis along
  which raters disagree about notes: raters who agree share a sign. It is the definition of
  "viewpoint" the audit uses, since it is the one the notes' bridging rule relies on.
- **whom an account follows, and who follows it.** People mostly follow people like them, so
  a spectral embedding of the follow graph (a few axes of the regularised, normalised
  adjacency) places accounts near those they are linked to. But a follow graph splits along
  language and place as readily as along opinion, so its own first axis may not be a
  viewpoint at all. When enough accounts both rate and follow, the follow score is the
  combination of embedding axes that best predicts their rater factor (ridge regression),
  carried over to everyone; otherwise it is the first axis, and the docs say so.

The rater factor is standardised (mean 0, standard deviation 1 over the raters); the follow
score is the factor it predicts (or its first axis, standardised, without enough raters); an
account's score is the mean of the ones it has. Groups are neutral labels cut from the
score: `A` at or below −`band`, `B` at or above `band`, `neither` between or without a
score. `A` is the larger of the two sides (then the side of the lowest account id), so the
labels do not depend on the sign either model happened to fit.

Nothing here reads content, keywords or anything an account says of itself (docs/design/audit.md).
"""

import enum
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import csgraph
from scipy.sparse.linalg import eigsh

__all__ = [
    "FollowEdges",
    "Viewpoint",
    "ViewpointParameters",
    "Viewpoints",
    "follow_embedding",
    "infer_viewpoints",
]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


class Viewpoint(enum.StrEnum):
    """A neutral group label: which side of the inferred axis an account is on, if either."""

    A = "A"
    B = "B"
    NEITHER = "neither"


@dataclass(frozen=True)
class FollowEdges:
    """Who follows whom: `follower[k]` follows `followed[k]` (account ids)."""

    follower: Ints
    followed: Ints


@dataclass(frozen=True)
class ViewpointParameters:
    """How scores are cut into groups, and how much behaviour a score needs.

    `band`: the half-width, in standard deviations, of the middle band called `neither`.
    `min_follows`: an account needs at least this many follows, given and received together,
    for a follow score. `min_shared`: the follow score is fitted to the rater factor only when
    at least this many accounts have both (else it is the follow graph's first axis)."""

    band: float = 0.5
    min_follows: int = 3
    min_shared: int = 20

    def __post_init__(self) -> None:
        if not self.band >= 0:
            raise ValueError(f"band must be at least 0, not {self.band}")
        if self.min_follows < 1 or self.min_shared < 10:
            raise ValueError("min_follows must be at least 1 and min_shared at least 10")


@dataclass(frozen=True)
class Viewpoints:
    """Every account's scores and group, in `account_ids` order (NaN where a score is missing).

    `agreement` is the out-of-fold correlation: over the accounts with both a follow embedding
    and a rater factor, the Pearson correlation of each one's standardised rater factor with
    the factor a ridge regression on the follow embedding predicts for it, fitted without it
    (five folds by position, the accounts in id order). It is not the correlation of
    `follow_score` with `rater_score`: that score is fitted on every such account, itself
    included, and would flatter the fit. NaN when fewer than `min_shared` accounts have both
    or either column is constant. How much the follow graph knows of the raters' axis."""

    account_ids: Ints
    follow_score: Floats
    rater_score: Floats
    score: Floats
    groups: tuple[Viewpoint, ...]
    agreement: float

    def group_of(self) -> Mapping[int, Viewpoint]:
        return dict(zip((int(i) for i in self.account_ids), self.groups, strict=True))

    def counts(self) -> Mapping[Viewpoint, int]:
        return {label: self.groups.count(label) for label in Viewpoint}


def infer_viewpoints(
    account_ids: Ints,
    follows: FollowEdges,
    rater_factors: Mapping[int, float],
    parameters: ViewpointParameters | None = None,
) -> Viewpoints:
    """Score and group `account_ids` from their follows and their notes rater factors.

    (1) the follow embedding; (2) the rater factors, standardised; (3) the follow score, fitted
    to the rater factors where enough accounts have both; (4) each account's mean of what it
    has; (5) the cut into A / B / neither."""
    given = parameters or ViewpointParameters()
    ids = np.unique(np.asarray(account_ids, dtype=np.int64))
    embedding = follow_embedding(ids, follows, min_follows=given.min_follows)  # (1)
    rater = _standardised(_rater_column(ids, rater_factors))  # (2)
    follow, agreement = _follow_score(embedding, rater, given)  # (3)
    score = _mean_of_present(follow, rater)  # (4)
    return Viewpoints(
        account_ids=ids,
        follow_score=follow,
        rater_score=rater,
        score=score,
        groups=_groups(ids, score, given.band),  # (5)
        agreement=agreement,
    )


def follow_embedding(
    account_ids: Ints, follows: FollowEdges, *, min_follows: int = 3, axes: int = 8
) -> Floats:
    """Each account's coordinates (one row, up to `axes` columns, each standardised) in the
    spectral embedding of who follows whom; NaN rows for accounts with fewer than
    `min_follows` follows or outside the graph's largest connected part (a separate part
    would own an axis of its own and say nothing of views)."""
    n = len(account_ids)
    follower, followed = _indexes(account_ids, follows)
    keep = _active(n, follower, followed, min_follows)
    graph = _symmetric(n, follower, followed, keep)
    size = int(keep.sum())
    wanted = min(axes, size - 2)
    embedding = np.full((n, max(wanted, 0)), np.nan)
    if wanted < 1 or graph.nnz == 0:
        return embedding
    embedding[keep] = _spectral_axes(graph[keep][:, keep], wanted)
    return embedding


def _indexes(account_ids: Ints, follows: FollowEdges) -> tuple[Ints, Ints]:
    """Follow edges as indexes into `account_ids`, dropping edges to unknown accounts."""
    n = len(account_ids)
    follower = np.searchsorted(account_ids, follows.follower)
    followed = np.searchsorted(account_ids, follows.followed)
    known = (follower < n) & (followed < n)
    known[known] &= (account_ids[follower[known]] == follows.follower[known]) & (
        account_ids[followed[known]] == follows.followed[known]
    )
    return follower[known], followed[known]


def _active(n: int, follower: Ints, followed: Ints, min_follows: int) -> npt.NDArray[np.bool_]:
    """Accounts with enough follows, inside the largest connected part of the graph they make."""
    degree = np.bincount(follower, minlength=n) + np.bincount(followed, minlength=n)
    enough = degree >= min_follows
    if not enough.any():
        return enough
    inside = enough[follower] & enough[followed]
    graph = _symmetric(n, follower[inside], followed[inside], enough)
    _, part = csgraph.connected_components(graph, directed=False)
    largest = int(np.argmax(np.bincount(part[enough])))
    in_largest: npt.NDArray[np.bool_] = enough & (part == largest)
    return in_largest


def _symmetric(
    n: int, follower: Ints, followed: Ints, keep: npt.NDArray[np.bool_]
) -> sparse.csr_matrix:
    """The follow graph among `keep`, each follow counted both ways (a mutual follow twice)."""
    inside = keep[follower] & keep[followed]
    values = np.ones(int(inside.sum()))
    one_way = sparse.coo_matrix((values, (follower[inside], followed[inside])), shape=(n, n))
    return sparse.csr_matrix(one_way + one_way.T)


def _spectral_axes(graph: sparse.csr_matrix, axes: int) -> Floats:
    """The top non-trivial eigenvectors of the regularised, normalised graph, standardised.

    With W the graph, d its degrees and τ their mean, D_τ^-1/2 W D_τ^-1/2 has a first
    eigenvector that mostly measures how connected an account is; the next ones split the
    graph into parts that link mostly within themselves (spectral clustering). Adding τ to
    every degree keeps accounts with a handful of follows from owning the axes, which they do
    in sparse graphs without it (Amini, Chen, Bickel and Levina, 2013)."""
    degree = np.asarray(graph.sum(axis=1)).ravel()
    scale = 1.0 / np.sqrt(degree + degree.mean())
    normalised = sparse.diags(scale) @ graph @ sparse.diags(scale)
    start = np.random.default_rng(0).uniform(0.5, 1.5, size=graph.shape[0])
    values, vectors = eigsh(normalised, k=axes + 1, which="LA", v0=start)
    order = np.argsort(-values)[1:]
    coordinates = scale[:, None] * vectors[:, order]
    spread = coordinates.std(axis=0)
    return np.asarray(coordinates / np.where(spread > 0, spread, 1.0), dtype=np.float64)


def _follow_score(
    embedding: Floats, rater: Floats, given: ViewpointParameters
) -> tuple[Floats, float]:
    """The follow score and its agreement with the rater factor.

    Where at least `min_shared` accounts have both, the score is the ridge regression of the
    rater factor on the embedding (so it is on the rater factor's scale: the predicted factor),
    and the agreement is the correlation of the rater factor
    with out-of-fold predictions (five folds by position, so no account predicts itself).
    Otherwise the score is the embedding's first axis and the agreement is NaN."""
    if embedding.shape[1] == 0:
        return np.full(len(rater), np.nan), float("nan")
    embedded = np.isfinite(embedding[:, 0])
    shared = embedded & np.isfinite(rater)
    if shared.sum() < given.min_shared:
        return _standardised(embedding[:, 0]), float("nan")
    score = np.full(len(rater), np.nan)
    score[embedded] = _ridge(embedding[shared], rater[shared], embedding[embedded])
    held_out = _out_of_fold(embedding[shared], rater[shared])
    return score, _correlation(held_out, rater[shared])


def _ridge(x: Floats, y: Floats, predict_at: Floats, penalty: float = 1.0) -> Floats:
    design = np.column_stack([np.ones(len(x)), x])
    weights = np.eye(design.shape[1]) * penalty
    weights[0, 0] = 0.0  # the intercept is not shrunk
    beta = np.linalg.solve(design.T @ design + weights, design.T @ y)
    return np.asarray(np.column_stack([np.ones(len(predict_at)), predict_at]) @ beta)


def _out_of_fold(x: Floats, y: Floats, folds: int = 5) -> Floats:
    fold = np.arange(len(y)) % folds
    predicted = np.empty(len(y))
    for k in range(folds):
        test = fold == k
        predicted[test] = _ridge(x[~test], y[~test], x[test])
    return predicted


def _correlation(a: Floats, b: Floats) -> float:
    if len(a) < 2 or a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def _rater_column(ids: Ints, rater_factors: Mapping[int, float]) -> Floats:
    column = np.full(len(ids), np.nan)
    for account_id, factor in rater_factors.items():
        at = int(np.searchsorted(ids, account_id))
        if at < len(ids) and ids[at] == account_id and np.isfinite(factor):
            column[at] = factor
    return column


def _standardised(values: Floats) -> Floats:
    present = np.isfinite(values)
    if present.sum() < 2:
        return np.where(present, 0.0, np.nan)
    spread = float(np.std(values[present]))
    centred = values - float(np.mean(values[present]))
    return centred / spread if spread > 0 else np.where(present, 0.0, np.nan)


def _mean_of_present(*columns: Floats) -> Floats:
    stacked = np.vstack(columns)
    present = np.isfinite(stacked)
    count = present.sum(axis=0)
    total = np.where(present, stacked, 0.0).sum(axis=0)
    mean: Floats = np.divide(total, count, out=np.full(len(total), np.nan), where=count > 0)
    return mean


def _groups(ids: Ints, score: Floats, band: float) -> tuple[Viewpoint, ...]:
    scored = np.isfinite(score)
    low = scored & (score <= -band)
    high = scored & (score >= band)
    if _high_side_is_a(ids, low, high):
        low, high = high, low
    labels = np.full(len(ids), Viewpoint.NEITHER.value, dtype=object)
    labels[low] = Viewpoint.A.value
    labels[high] = Viewpoint.B.value
    return tuple(Viewpoint(label) for label in labels)


def _high_side_is_a(ids: Ints, low: npt.NDArray[np.bool_], high: npt.NDArray[np.bool_]) -> bool:
    """A is the larger side; on a tie, the side holding the lowest account id."""
    if int(high.sum()) != int(low.sum()):
        return int(high.sum()) > int(low.sum())
    if not high.any():
        return False
    return int(ids[high].min()) < int(ids[low].min())
