"""Replay: the visibility projection rebuilt from the ledger's entries alone (pure).

Decisions are applied in ledger order, exactly as `enforce` applied them: a restricting
decision puts its restriction in force, a restore lifts the one it names. Expired
restrictions stay, as in the stored projection: the end date is part of the restriction
and the port compares it with the clock at read time.

A decision `enforce` could not have logged (an unknown action kind, a restore of an action
that no earlier entry put in force, a missing field) is not skipped: it makes replay fail,
since a log holding one does not describe what the server enforced.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from townsquare.ledger import JSON, decode_entry
from townsquare.moderation._errors import MalformedDecisionEntryError
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
    """Apply every `moderation.decision` entry of `entries` (the log from its first entry,
    in order); `MalformedDecisionEntryError` names the first entry that cannot be applied."""
    in_force: dict[int, Restriction] = {}
    decisions = 0
    for index, data in enumerate(entries):
        entry = decode_entry(data)
        if entry.type != DECISION_ENTRY_TYPE or entry.version != DECISION_ENTRY_VERSION:
            continue
        decisions += 1
        try:
            _apply(in_force, entry.fields)
        except KeyError as error:
            raise _malformed(index, f"missing field {error}") from None
        except (TypeError, ValueError) as error:
            raise _malformed(index, str(error)) from None
    return Replayed(frozenset(in_force.values()), decisions)


def _apply(in_force: dict[int, Restriction], fields: Mapping[str, JSON]) -> None:
    """One decision, as `apply_entry` applies it to the stored projection (the entry is
    read whole first, so an unknown action kind is named before what it restores)."""
    restriction = restriction_from_entry(fields)
    restores = fields.get("restores")
    lifted = in_force.pop(int(restores), None) if isinstance(restores, str) else None
    if restores is not None and lifted is None:
        raise ValueError(f"restores action {restores}: expected a restriction in force, found none")
    if restriction is not None:
        in_force[restriction.action_id] = restriction


def _malformed(index: int, why: str) -> MalformedDecisionEntryError:
    return MalformedDecisionEntryError(
        f"ledger entry {index}: a {DECISION_ENTRY_TYPE} entry that enforce could not have "
        f"written: {why}"
    )


def compare(replayed: Replayed, stored: frozenset[Restriction]) -> ProjectionDifference:
    return ProjectionDifference(
        decisions=replayed.decisions,
        missing=replayed.restrictions - stored,
        unexpected=stored - replayed.restrictions,
    )
