"""The Mantel–Haenszel risk ratio over strata, its Greenland–Robins interval and the
Cochran–Mantel–Haenszel test; with one stratum, the plain risk ratio of two groups.

Within stratum k, group A has `n_a` units of which `events_a` had the event, group B `n_b`
and `events_b`; N = n_a + n_b and M = events_a + events_b. Then (Rothman, Greenland & Lash,
Modern Epidemiology, 3rd ed., ch. 15):

    RR_MH = R / S,  R = Σ events_a·n_b / N,  S = Σ events_b·n_a / N
    Var(ln RR_MH) = Σ (M·n_a·n_b − events_a·events_b·N) / N²  /  (R·S)      (Greenland–Robins)
    χ²_CMH = (|Σ events_a − Σ n_a·M / N| − ½)² / Σ n_a·n_b·M·(N − M) / (N²·(N − 1))

With one stratum the variance is 1/a − 1/n_a + 1/b − 1/n_b, the usual log-risk-ratio one.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from townsquare.audits.statistics._estimate import LARGEST_BOUND, RatioEstimate, not_estimable

__all__ = ["StratumCounts", "mantel_haenszel", "risk_ratio"]

# The 97.5th percentile of the standard normal distribution: a two-sided 95 % interval.
_Z_95 = 1.959963984540054

# How notes name the groups unless told their labels.
_LABELS = ("A", "B")


@dataclass(frozen=True)
class StratumCounts:
    """One stratum's counts: how many units each group has, and how many had the event."""

    events_a: int
    n_a: int
    events_b: int
    n_b: int

    def __post_init__(self) -> None:
        if not (0 <= self.events_a <= self.n_a and 0 <= self.events_b <= self.n_b):
            raise ValueError(f"events must lie between 0 and the units counted, not {self}")


def risk_ratio(counts: StratumCounts, labels: tuple[str, str] = _LABELS) -> RatioEstimate:
    """Group A's event rate over group B's, for one pair of counts.

    When exactly one group had no event, the ratio would be 0 or infinite: 0.5 is then added
    to every cell (Haldane–Anscombe), which gives a finite, if rough, ratio, and `note` says
    so. No unit in a group, or no event in either, is not estimable. `labels` name groups A
    and B in notes."""
    if counts.n_a == 0 or counts.n_b == 0:
        return not_estimable(_empty_group_note(counts.n_a, counts.n_b, labels))
    if counts.events_a == 0 and counts.events_b == 0:
        return not_estimable("no event in either group")
    if counts.events_a == 0 or counts.events_b == 0:
        return _haldane_anscombe(counts, labels)
    return mantel_haenszel([counts], labels)


def mantel_haenszel(
    strata: Sequence[StratumCounts], labels: tuple[str, str] = _LABELS
) -> RatioEstimate:
    """The Mantel–Haenszel risk ratio of group A to group B over `strata`.

    A stratum where either group has no unit says nothing about the ratio and is left out.
    When the strata that remain hold no event of one group, the ratio is 0 or infinite:
    not estimable, and `note` says which group."""
    shared = [s for s in strata if s.n_a > 0 and s.n_b > 0]
    if not shared:
        return not_estimable("no stratum holds units of both groups")
    a, n_a, b, n_b = (
        np.array(column, dtype=np.float64) for column in zip(*_cells(shared), strict=True)
    )
    total = n_a + n_b
    r = float(np.sum(a * n_b / total))
    s = float(np.sum(b * n_a / total))
    if r == 0.0 or s == 0.0:
        return not_estimable(_no_event_note(r, s, labels))
    spread = float(np.sum(((a + b) * n_a * n_b - a * b * total) / total**2)) / (r * s)
    return _estimate(r / s, max(spread, 0.0), _cmh_p_value(a, n_a, b, n_b))


def _cells(strata: Sequence[StratumCounts]) -> list[tuple[int, int, int, int]]:
    return [(s.events_a, s.n_a, s.events_b, s.n_b) for s in strata]


def _cmh_p_value(
    a: npt.NDArray[np.float64],
    n_a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    n_b: npt.NDArray[np.float64],
) -> float:
    """The Cochran–Mantel–Haenszel test's p-value: χ² with 1 degree of freedom, with the
    continuity correction of Mantel & Haenszel (1959), 0.5 off the distance between observed
    and expected events. Counts are whole numbers, so the uncorrected test rejects a little
    more often than alpha when events are few; the correction keeps the chance of a false
    alarm at or below alpha. A stratum of one unit has no hypergeometric variance and adds
    nothing."""
    total = n_a + n_b
    events = a + b
    informative = total > 1
    expected = n_a * events / total
    variance = np.zeros_like(total)
    variance[informative] = (n_a * n_b * events * (total - events) / (total**2 * (total - 1)))[
        informative
    ]
    spread = float(np.sum(variance))
    if spread <= 0.0:
        return 1.0
    z = max(abs(float(np.sum(a - expected))) - 0.5, 0.0) / math.sqrt(spread)
    return _two_sided_p(z)


def _two_sided_p(z: float) -> float:
    """P(|Z| ≥ z) for a standard normal Z; χ²(1) = Z², so this is also the χ² test's."""
    return math.erfc(z / math.sqrt(2.0))


def _estimate(ratio: float, log_variance: float, p_value: float, note: str = "") -> RatioEstimate:
    half_width = _Z_95 * math.sqrt(log_variance)
    log_ratio = math.log(ratio)
    return RatioEstimate(
        ratio=_bounded(ratio),
        ci_low=_bounded(math.exp(max(log_ratio - half_width, -700.0))),
        ci_high=_bounded(math.exp(min(log_ratio + half_width, 700.0))),
        p_value=min(max(p_value, 0.0), 1.0),
        note=note,
    )


def _bounded(value: float) -> float:
    return min(value, LARGEST_BOUND)


def _haldane_anscombe(counts: StratumCounts, labels: tuple[str, str]) -> RatioEstimate:
    a = counts.events_a + 0.5
    b = counts.events_b + 0.5
    n_a = counts.n_a + 1.0
    n_b = counts.n_b + 1.0
    log_variance = 1 / a - 1 / n_a + 1 / b - 1 / n_b
    ratio = (a / n_a) / (b / n_b)
    z = abs(math.log(ratio)) / math.sqrt(log_variance)
    group = labels[0] if counts.events_a == 0 else labels[1]
    note = f"no event in group {group}: 0.5 added to every count (Haldane–Anscombe)"
    return _estimate(ratio, log_variance, _two_sided_p(z), note)


def _empty_group_note(n_a: int, n_b: int, labels: tuple[str, str]) -> str:
    if n_a == 0 and n_b == 0:
        return "neither group has any unit to count"
    return f"group {labels[0] if n_a == 0 else labels[1]} has no unit to count"


def _no_event_note(r: float, s: float, labels: tuple[str, str]) -> str:
    if r == 0.0 and s == 0.0:
        return "no event in either group within the strata both groups share"
    group = labels[0] if r == 0.0 else labels[1]
    return f"no event in group {group} within the strata both groups share"
