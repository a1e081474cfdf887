"""Holm's step-down correction of p-values for a family of comparisons (Holm 1979)."""

from collections.abc import Sequence

__all__ = ["holm_adjusted"]


def holm_adjusted(p_values: Sequence[float]) -> tuple[float, ...]:
    """The Holm-adjusted p-values, in the order given.

    Sorted ascending, the j-th smallest of m p-values is multiplied by (m - j + 1); each
    adjusted value is then raised to the largest before it (so the order is kept) and capped at
    1. Rejecting every comparison whose adjusted p-value is below alpha keeps the chance of any
    false rejection in the family at most alpha, whatever the dependence between them.
    """
    order = sorted(range(len(p_values)), key=lambda index: (p_values[index], index))
    adjusted = [0.0] * len(p_values)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[index]))
        adjusted[index] = running
    return tuple(adjusted)
