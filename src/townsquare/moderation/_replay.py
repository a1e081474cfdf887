"""Replay: the visibility projection rebuilt from the ledger's entries alone (pure).

Decisions are applied in ledger order, exactly as `enforce` applied them: a restricting
decision puts its restriction in force, a restore lifts the one it names. Expired
restrictions stay, as in the stored projection: the end date is part of the restriction
and the port compares it with the clock at read time.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from townsquare.ledger import decode_entry
from townsquare.moderation._projection import Restriction, restriction_from_entry
from townsquare.moderation._reasons import DECISION_ENTRY_TYPE, DECISION_ENTRY_VERSION

__all__ = ["ProjectionDifference", "Replayed", "compare", "replay"]


@dataclass(frozen=True)
class Replayed:
    """The projection the ledger implies, and how many decisions it was built from."""

    restrictions: frozenset[Restriction]
    decisions: int


@dataclass(frozen=True)
class ProjectionDifference:
    """`missing`: implied by the ledger but not stored; `unexpected`: stored, not implied."""

    decisions: int
    missing: frozenset[Restriction]
    unexpected: frozenset[Restriction]

    @property
    def matches(self) -> bool:
        return not self.missing and not self.unexpected


def replay(entries: Iterable[bytes]) -> Replayed:
    """Apply every `moderation.decision` entry of `entries` (in ledger order)."""
    in_force: dict[int, Restriction] = {}
    decisions = 0
    for data in entries:
        entry = decode_entry(data)
        if entry.type != DECISION_ENTRY_TYPE or entry.version != DECISION_ENTRY_VERSION:
            continue
        decisions += 1
        restores = entry.fields.get("restores")
        if isinstance(restores, str):
            in_force.pop(int(restores), None)
        restriction = restriction_from_entry(entry.fields)
        if restriction is not None:
            in_force[restriction.action_id] = restriction
    return Replayed(frozenset(in_force.values()), decisions)


def compare(replayed: Replayed, stored: frozenset[Restriction]) -> ProjectionDifference:
    return ProjectionDifference(
        decisions=replayed.decisions,
        missing=replayed.restrictions - stored,
        unexpected=stored - replayed.restrictions,
    )
