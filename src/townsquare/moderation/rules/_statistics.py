"""Each rule version's record, counted from ledger entries alone (docs/design/automated-rules.md,
"The numbers"): hits, cases opened, actions taken, appeals and reversals of those actions, and
the precision estimated from its detections re-reviewed blind, with a 95 % Wilson interval.

Pure: decoded entries in, in ledger order; no database, so anyone holding the ledger (from
`townsquare ledger dump` or `townsquare ledger verify`) gets the same numbers.
"""

import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from townsquare.ledger import JSON, Entry, LedgerError, decode_entry

__all__ = [
    "NOT_ACTING",
    "GrowingLog",
    "Precision",
    "RuleLog",
    "RuleLogReader",
    "RuleVersionStatistics",
    "read_rule_log",
    "rule_statistics",
    "wilson_interval",
]

NOT_ACTING = frozenset({"no_action", "restore"})
"""Decision actions that are not an action taken against an item: a decision not to act, and
the undoing of an earlier one."""

# How each counted type is written in a canonical entry: a cheap test before decoding.
_COUNTED = (b'"rule.', b'"moderation.decision"', b'"moderation.appeal"')
_Z95 = 1.959963984540054  # the standard normal quantile at 0.975: a two-sided 95 % interval


def wilson_interval(successes: int, trials: int) -> tuple[float, float] | None:
    """The 95 % Wilson score interval for a proportion of `successes` in `trials` (E. B.
    Wilson, 1927); None when `trials` is 0, where no interval exists. Unlike the normal
    approximation it stays within [0, 1] and is not empty at 0 or `trials` successes,
    which matters for the small samples moderators can review."""
    if not 0 <= successes <= trials:
        raise ValueError(f"expected 0 <= successes <= trials, found {successes} of {trials}")
    if trials == 0:
        return None
    share, z2 = successes / trials, _Z95 * _Z95
    scale = 1 + z2 / trials
    centre = (share + z2 / (2 * trials)) / scale
    half = _Z95 * math.sqrt(share * (1 - share) / trials + z2 / (4 * trials * trials)) / scale
    # At 0 or `trials` successes the bound is exactly 0 or 1; rounding must not move it.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Precision:
    """Of `reviewed` detections re-reviewed blind, `violating` were judged to break the
    clause. `estimate` and `interval` are None when none was reviewed: no number at all
    is said rather than a made-up one."""

    reviewed: int = 0
    violating: int = 0

    @property
    def estimate(self) -> float | None:
        return self.violating / self.reviewed if self.reviewed else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.violating, self.reviewed)


@dataclass(frozen=True)
class RuleVersionStatistics:
    """One rule version's record (`rule` is `id@version`), as the ledger shows it."""

    rule: str
    hits: int = 0
    cases_opened: int = 0
    actions_taken: int = 0
    appeals: int = 0
    reversals: int = 0
    precision: Precision = field(default_factory=Precision)

    @property
    def rule_id(self) -> str:
        return self.rule.partition("@")[0]

    @property
    def version(self) -> int:
        return int(self.rule.partition("@")[2])


def rule_statistics(entries: Iterable[Entry]) -> Mapping[str, RuleVersionStatistics]:
    """Every rule version's statistics from `entries` (decoded, in ledger order), by
    `id@version`, sorted. A version appears once the ledger records it (`rule.version`)
    or names it in a detection, a decision or a review:

    (1) hits: `rule.detection` entries naming it; cases opened: those whose outcome is
        `case` or `case_in_election_window`;
    (2) actions taken: `moderation.decision` entries whose `rule` is it, action other than
        `no_action` and `restore`;
    (3) appeals and reversals: `moderation.appeal` entries about one of those actions, and
        those whose outcome is `reversed`;
    (4) precision: `rule.review` entries about its detections, and those whose verdict is
        `violates`.
    Appeals are matched to actions by `action_id`, whatever the order they come in."""
    tally = _Tally()
    for entry in entries:
        tally.count(entry)
    return tally.result()


@dataclass(frozen=True)
class RuleLog:
    """What the ledger says of the rules: each version's statistics, and the index of the
    `rule.version` entry that recorded each version (by `id@version`)."""

    statistics: Mapping[str, RuleVersionStatistics]
    version_entries: Mapping[str, int]


def read_rule_log(entries: Iterable[bytes]) -> RuleLog:
    """`rule_statistics` over encoded `entries` (the ledger from its first entry, in order),
    with where each version was recorded. Entries of other types are skipped unread, and
    one that does not decode counts for nothing (the verifier refuses it)."""
    return _rule_log(_counted(enumerate(entries)))


def _counted(entries: Iterable[tuple[int, bytes]]) -> list[tuple[int, Entry]]:
    """The entries the numbers read, decoded, with their indexes."""
    kept = []
    for index, data in entries:
        if not any(marker in data for marker in _COUNTED):
            continue
        try:
            kept.append((index, decode_entry(data)))
        except LedgerError:
            continue
    return kept


def _rule_log(counted: list[tuple[int, Entry]]) -> RuleLog:
    version_entries = {
        f"{_text(entry.fields.get('rule'))}@{entry.fields.get('version')}": index
        for index, entry in counted
        if entry.type == "rule.version"
    }
    return RuleLog(rule_statistics(entry for _, entry in counted), version_entries)


class GrowingLog(Protocol):
    """The reads a `RuleLogReader` makes of the ledger (a `LedgerLog` has them)."""

    def size(self) -> int: ...

    def entries(self, start: int, stop: int) -> Sequence[bytes]: ...


class RuleLogReader:
    """`read_rule_log` over a ledger that grows, reading each entry once: the log is
    append-only, so what was counted of its first entries never changes and only the entries
    appended since the last read are decoded. The pages and the API ask it on every request.
    Safe to share between threads."""

    def __init__(self, ledger: GrowingLog) -> None:
        self._ledger = ledger
        self._lock = threading.Lock()
        self._size = 0
        self._counted: list[tuple[int, Entry]] = []
        self._log = _rule_log([])

    def read(self) -> RuleLog:
        """What the ledger's integrated entries say of the rules, now."""
        size = self._ledger.size()
        with self._lock:
            if size < self._size:  # a new database under the same reader: start over
                self._size, self._counted = 0, []
            if size > self._size:
                new = self._ledger.entries(self._size, size)
                self._counted += _counted(enumerate(new, start=self._size))
                self._size, self._log = size, _rule_log(self._counted)
            return self._log


@dataclass
class _Tally:
    counts: dict[str, RuleVersionStatistics] = field(default_factory=dict)
    rule_of_action: dict[str, str] = field(default_factory=dict)
    appeals: list[tuple[str, bool]] = field(default_factory=list)  # (action id, reversed)

    def count(self, entry: Entry) -> None:
        fields = entry.fields
        if entry.type == "rule.version":
            self._add(f"{_text(fields.get('rule'))}@{fields.get('version')}")
        elif entry.type == "rule.detection":  # (1)
            opened = fields.get("outcome") in {"case", "case_in_election_window"}
            self._add(_text(fields.get("rule")), hits=1, cases_opened=int(opened))
        elif entry.type == "moderation.decision" and isinstance(fields.get("rule"), str):  # (2)
            if fields.get("action") not in NOT_ACTING:
                rule = _text(fields.get("rule"))
                self._add(rule, actions_taken=1)
                self.rule_of_action[_text(fields.get("action_id"))] = rule
        elif entry.type == "moderation.appeal":  # (3)
            reversed_ = fields.get("outcome") == "reversed"
            self.appeals.append((_text(fields.get("action_id")), reversed_))
        elif entry.type == "rule.review":  # (4)
            violates = fields.get("verdict") == "violates"
            self._add(_text(fields.get("rule")), reviewed=1, violating=int(violates))

    def result(self) -> Mapping[str, RuleVersionStatistics]:
        for action_id, reversed_ in self.appeals:
            rule = self.rule_of_action.get(action_id)
            if rule is not None:
                self._add(rule, appeals=1, reversals=int(reversed_))
        return {rule: self.counts[rule] for rule in sorted(self.counts, key=_rule_order)}

    def _add(self, rule: str, reviewed: int = 0, violating: int = 0, **counts: int) -> None:
        now = self.counts.get(rule) or RuleVersionStatistics(rule)
        added = {name: getattr(now, name) + value for name, value in counts.items()}
        precision = Precision(
            now.precision.reviewed + reviewed, now.precision.violating + violating
        )
        self.counts[rule] = replace(now, precision=precision, **added)


def _rule_order(rule: str) -> tuple[str, int]:
    rule_id, _, version = rule.partition("@")
    return rule_id, int(version) if version.isdigit() else 0


def _text(value: JSON) -> str:
    return value if isinstance(value, str) else str(value)
