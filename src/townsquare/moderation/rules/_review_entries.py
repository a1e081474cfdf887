"""The ledger entries of the blind review of rule detections, and their check from the ledger
alone (docs/design/automated-rules.md, "Precision").

A `rule.review_draw` entry commits to a draw of detections: seeded by a signed checkpoint's
root hash, it draws up to `asked` detections of each rule version among the `rule.detection`
entries that checkpoint covers, less those drawn before — ranked by the same hash as the
draw of decisions (`draw_sample`), so one rule's detections never crowd out another's.
A `rule.review` entry is one answer: the detection, its rule version, the verdict and when;
never who answered.
"""

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from townsquare.ledger import JSON, Entry, LedgerError, decode_entry, encode_entry, leaf_hash
from townsquare.ledger import root_hash as tree_root
from townsquare.moderation._review_sample import DrawCandidate, draw_sample
from townsquare.moderation.rules._errors import MalformedRuleReviewError

__all__ = [
    "RULE_REVIEW_DRAW_ENTRY",
    "RULE_REVIEW_ENTRY",
    "DetectionCandidate",
    "RuleReviewDraw",
    "Verdict",
    "check_rule_reviews",
    "draw_detections",
    "rule_review_draw_entry",
    "rule_review_entry",
]

RULE_REVIEW_DRAW_ENTRY = ("rule.review_draw", 1)
"""The ledger entry type and schema version of a draw of detections for blind review."""
RULE_REVIEW_ENTRY = ("rule.review", 1)
"""The ledger entry type and schema version of one blind review's verdict."""
_MARKERS = (b'"rule.review_draw"', b'"rule.review"')  # how the types are written in an entry


class Verdict(StrEnum):
    """A blind reviewer's answer: does the item break the clause the rule enforces?"""

    VIOLATES = "violates"
    DOES_NOT_VIOLATE = "does_not_violate"


@dataclass(frozen=True, order=True)
class DetectionCandidate:
    """A `rule.detection` entry that may be drawn: its rule version and its place in the log."""

    rule: str
    candidate: DrawCandidate


@dataclass(frozen=True)
class RuleReviewDraw:
    """A draw seeded by the checkpoint of `tree_size` entries with root `root_hash`: up to
    `asked` detections of each rule version, among `candidates` (how many each version had),
    drew `drawn` (the detections' ledger indices, ascending)."""

    id: int
    drawn_at: datetime
    tree_size: int
    root_hash: bytes
    candidates: Mapping[str, int]
    asked: int
    drawn: tuple[int, ...]


def draw_detections(
    candidates: Iterable[DetectionCandidate], seed: bytes, asked: int
) -> tuple[int, ...]:
    """The ledger indices drawn: `draw_sample(…, seed, asked)` over each rule version's
    candidates, merged in ledger order (pure)."""
    by_rule: dict[str, list[DrawCandidate]] = {}
    for found in candidates:
        by_rule.setdefault(found.rule, []).append(found.candidate)
    drawn = (c.index for group in by_rule.values() for c in draw_sample(group, seed, asked))
    return tuple(sorted(drawn))


def rule_review_draw_entry(draw: RuleReviewDraw) -> bytes:
    """The entry committing to the draw (pure)."""
    fields: dict[str, JSON] = {
        "draw_id": str(draw.id),
        "drawn_at": draw.drawn_at.isoformat(),
        "seed_tree_size": draw.tree_size,
        "seed_root_hash": base64.b64encode(draw.root_hash).decode("ascii"),
        "candidates": dict(sorted(draw.candidates.items())),
        "asked": draw.asked,
        "drawn": list(draw.drawn),
    }
    return encode_entry(*RULE_REVIEW_DRAW_ENTRY, fields)


def rule_review_entry(
    detection_id: int, rule: str, verdict: Verdict, reviewed_at: datetime
) -> bytes:
    """The entry of one answer (pure): no reviewer, so the log names no moderator."""
    fields: dict[str, JSON] = {
        "detection_id": str(detection_id),
        "rule": rule,
        "verdict": verdict.value,
        "reviewed_at": reviewed_at.isoformat(),
    }
    return encode_entry(*RULE_REVIEW_ENTRY, fields)


def check_rule_reviews(entries: Sequence[bytes]) -> int:
    """Recompute every `rule.review_draw` in `entries` (the whole ledger, in order) from its
    seed and the detections before it, and check every `rule.review` answers a detection
    drawn before it, of the rule it names, once; return how many draws there were.
    `MalformedRuleReviewError` names the first entry that differs. A ledger without such
    entries costs one substring search per entry."""
    if not any(marker in entry for entry in entries for marker in _MARKERS):
        return 0
    checker = _Checker([leaf_hash(entry) for entry in entries])
    for index, data in enumerate(entries):
        try:
            entry = decode_entry(data)
        except LedgerError:
            continue  # the verifier refuses a malformed entry before this runs
        checker.step(index, entry)
    return checker.draws


@dataclass
class _Checker:
    leaves: Sequence[bytes]
    pool: list[DetectionCandidate] = field(default_factory=list)  # every detection so far
    detections: dict[str, DetectionCandidate] = field(default_factory=dict)  # by detection id
    drawn: set[int] = field(default_factory=set)
    answered: set[str] = field(default_factory=set)
    draws: int = 0

    def step(self, index: int, entry: Entry) -> None:
        if (entry.type, entry.version) == RULE_REVIEW_DRAW_ENTRY:
            self._draw(index, entry.fields)
        elif (entry.type, entry.version) == RULE_REVIEW_ENTRY:
            self._review(index, entry.fields)
        elif entry.type == "rule.detection":
            found = DetectionCandidate(str(entry.fields.get("rule")), self._at(index))
            self.pool.append(found)
            self.detections[str(entry.fields.get("detection_id"))] = found

    def _at(self, index: int) -> DrawCandidate:
        return DrawCandidate(index, self.leaves[index])

    def _draw(self, index: int, fields: Mapping[str, JSON]) -> None:
        """(1) The seed is the root of the first `seed_tree_size` entries; (2) the
        candidates left, per rule version, are `candidates`; (3) the draw is `drawn`."""
        size, seed, asked = _seed_fields(index, fields)
        if size > index or tree_root(list(self.leaves[:size])) != seed:  # (1)
            raise MalformedRuleReviewError(
                f"ledger entry {index}: its seed is not the root of the first {size} entries"
            )
        left = [c for c in self.pool if c.candidate.index < size]
        left = [c for c in left if c.candidate.index not in self.drawn]
        counts: dict[str, int] = {}
        for found in left:
            counts[found.rule] = counts.get(found.rule, 0) + 1
        if counts != fields.get("candidates"):  # (2)
            raise MalformedRuleReviewError(
                f"ledger entry {index}: expected candidates {fields.get('candidates')}, "
                f"found {counts}"
            )
        drawn = draw_detections(left, seed, asked)  # (3)
        if list(drawn) != fields.get("drawn"):
            raise MalformedRuleReviewError(
                f"ledger entry {index}: expected drawn {fields.get('drawn')}, "
                f"recomputed {list(drawn)}"
            )
        self.drawn.update(drawn)
        self.draws += 1

    def _review(self, index: int, fields: Mapping[str, JSON]) -> None:
        detection_id = str(fields.get("detection_id"))
        found = self.detections.get(detection_id)
        if found is None or found.candidate.index not in self.drawn:
            raise MalformedRuleReviewError(
                f"ledger entry {index}: expected a review of a detection drawn before it, "
                f"found detection {detection_id}, never drawn"
            )
        if found.rule != fields.get("rule"):
            raise MalformedRuleReviewError(
                f"ledger entry {index}: expected rule {found.rule} (the detection's), "
                f"found {fields.get('rule')}"
            )
        if fields.get("verdict") not in {v.value for v in Verdict}:
            raise MalformedRuleReviewError(
                f"ledger entry {index}: expected a verdict violates or does_not_violate, "
                f"found {fields.get('verdict')!r}"
            )
        if detection_id in self.answered:
            raise MalformedRuleReviewError(
                f"ledger entry {index}: detection {detection_id} was already reviewed"
            )
        self.answered.add(detection_id)


def _seed_fields(index: int, fields: Mapping[str, JSON]) -> tuple[int, bytes, int]:
    size, raw, asked = (fields.get(key) for key in ("seed_tree_size", "seed_root_hash", "asked"))
    if not (isinstance(size, int) and isinstance(asked, int) and isinstance(raw, str)):
        raise MalformedRuleReviewError(
            f"ledger entry {index}: expected seed_tree_size and asked as whole numbers and "
            "seed_root_hash as base64"
        )
    try:
        return size, base64.b64decode(raw, validate=True), asked
    except ValueError:
        raise MalformedRuleReviewError(
            f"ledger entry {index}: seed_root_hash is not base64: {raw!r}"
        ) from None
