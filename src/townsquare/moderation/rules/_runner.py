"""Running the rules on the write path's events: the outbox in, cases and actions out.

The write path adds one row to `rule_events` in its own transaction (`record_rule_event`);
nothing else happens there, so a slow or failing rule can neither slow down nor fail a write.
`RuleRunner.run_once` drains the waiting events later — the server's background thread
calls it every few seconds, `townsquare rules run` once.

One step, in ONE write transaction:
(1) lock the runner's row (`rule_runner`), so two servers on one database never process an
    event twice; catch the window up with the events other servers processed meanwhile;
(2) read the waiting events in time order, hydrate each into its `Event` from the stored
    post, account or report (an event whose item is gone is passed over);
(3) run each rule version not quarantined; what its detections lead to is written in a
    savepoint of its own (the matcher is pure: a rule that finds nothing opens none). They
    open or join a case, or act through `enforce` (an automated decision, under the system
    account `@rules`); inside an election window a rule that would act only opens a case.
    Each detection is logged as a `rule.detection` entry beside what it led to;
(4) a rule that raises is rolled back alone, quarantined (`rule_quarantines`, and a
    `rule.quarantine` ledger entry) and not run again until released; the others run on;
(5) number the events processed and advance the runner's count;
(6) forget processed events older than the rules' horizon and a day: no window reaches them.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from townsquare.kernel import Clock, SnowflakeGenerator
from townsquare.ledger import JSON, LedgerLog, encode_entry
from townsquare.microblog import Microblog, Role
from townsquare.moderation._decisions import PostTarget
from townsquare.moderation._elections import BlanketActionError, SecondModeratorRequiredError
from townsquare.moderation._enforce import Enforce
from townsquare.moderation._errors import TargetNotFoundError
from townsquare.moderation._reports import (
    SEVERITY,
    ReportCategory,
    author_of,
    join_or_open_case,
    open_key,
)
from townsquare.moderation.rules._detection_entry import (
    DetectionOutcome,
    DetectionRecord,
    detection_entry,
)
from townsquare.moderation.rules._detections import Detection
from townsquare.moderation.rules._errors import UnknownRuleError
from townsquare.moderation.rules._events import (
    Event,
)
from townsquare.moderation.rules._hydration import hydrate
from townsquare.moderation.rules._matchers import Matched, match_event, sighting_of, start_window
from townsquare.moderation.rules._rules import Rule, RuleSet
from townsquare.moderation.rules._window import Window
from townsquare.storage import Database, Prebuilt, insert_ignoring_conflicts
from townsquare.storage.tables import (
    moderation_cases,
    rule_detections,
    rule_events,
    rule_quarantines,
    rule_runner,
)

__all__ = [
    "QUARANTINE_ENTRY",
    "RELEASE_ENTRY",
    "SYSTEM_HANDLES",
    "Matcher",
    "Quarantine",
    "RuleRunner",
    "RunSummary",
]

_log = logging.getLogger(__name__)

QUARANTINE_ENTRY = ("rule.quarantine", 1)
"""The ledger entry of a rule version set aside after it raised."""
RELEASE_ENTRY = ("rule.release", 1)
"""The ledger entry of a quarantined rule version put back to work."""

SYSTEM_HANDLES = ("rules", "rules_1", "rules_2", "rules_3")
"""The handles the system account may take, the first one free: `@rules` is reserved."""
SYSTEM_NAME = "Automated rules"

_RUNNER = "rules"
# Events a step handles in one transaction. SQLite has one writer: a short step keeps the
# write path's wait for its lock short.
_BATCH = {"postgresql": 200, "sqlite": 25}
_KEPT = timedelta(days=1)  # processed events kept beyond the horizon, for a lagging server
# A rule that would act but may not (an election window) opens a case as urgent as a
# report of a violation: a moderator should look soon.
_WOULD_ACT_SEVERITY = SEVERITY[ReportCategory.VIOLATION]

Matcher = Callable[[RuleSet, Window, Event], Matched]
"""`match_event`'s shape: the runner calls it with one rule at a time."""


@dataclass(frozen=True)
class Quarantine:
    """Rule version `rule` (`id@version`) raised `error` on event `event_id`."""

    rule: str
    error: str
    event_id: int
    quarantined_at: datetime


@dataclass(frozen=True)
class RunSummary:
    """What a run did: events processed, detections logged, rule versions quarantined."""

    events: int = 0
    detections: int = 0
    quarantined: tuple[str, ...] = ()

    def __add__(self, other: "RunSummary") -> "RunSummary":
        return RunSummary(
            self.events + other.events,
            self.detections + other.detections,
            self.quarantined + other.quarantined,
        )


@dataclass
class _Step:
    detections: int = 0
    quarantined: tuple[str, ...] = ()


class RuleRunner:
    """Runs `rules` on the outbox's events. `enforce` MUST be `Moderation.enforce`;
    `matcher` is `match_event` (a test passes one that fails on purpose)."""

    def __init__(
        self,
        db: Database,
        ledger: LedgerLog,
        rules: RuleSet,
        microblog: Microblog,
        enforce: Enforce,
        *,
        clock: Clock,
        ids: SnowflakeGenerator,
        matcher: Matcher = match_event,
        batch: int | None = None,
    ) -> None:
        self._db = db
        self._ledger = ledger
        self._rules = rules
        self._microblog = microblog
        self._enforce = enforce
        self._clock = clock
        self._ids = ids
        self._matcher = matcher
        self._batch = batch or _BATCH.get(db.engine.dialect.name, 25)
        self._window = start_window(rules)
        self._seen: int | None = None  # the runner's count this window has caught up to

    @property
    def rules(self) -> RuleSet:
        return self._rules

    def run_once(self) -> RunSummary:
        """Process every waiting event, a batch per transaction; what was done."""
        total = RunSummary()
        while True:
            done = self.step()
            total += done
            if done.events < self._batch:
                return total

    def step(self) -> RunSummary:
        """One batch of at most `batch` events, in one transaction (see the module)."""
        try:
            with self._db.write() as conn:
                return self._step(conn)
        except Exception:
            # The window may hold acts of a batch that rolled back: rebuild it next time.
            self._seen = None
            raise

    def quarantined(self) -> list[Quarantine]:
        """The rule versions set aside, oldest first: they do not run until released."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(rule_quarantines).order_by(
                    rule_quarantines.c.quarantined_at, rule_quarantines.c.rule_id
                )
            )
            return [
                Quarantine(f"{r.rule_id}@{r.version}", r.error, r.event_id, r.quarantined_at)
                for r in rows
            ]

    def release(self, ref: str) -> None:
        """Put quarantined rule version `ref` (`id@version`) back to work, with a
        `rule.release` ledger entry; `UnknownRuleError` if it is not quarantined."""
        rule = self._rules.rule(ref)
        with self._db.write() as conn:
            removed = conn.execute(
                delete(rule_quarantines).where(
                    rule_quarantines.c.rule_id == rule.id,
                    rule_quarantines.c.version == rule.version,
                )
            )
            if removed.rowcount != 1:
                raise UnknownRuleError(f"rule {ref!r}: not quarantined")
            entry_type, version = RELEASE_ENTRY
            fields: dict[str, JSON] = {
                "rule": rule.ref,
                "released_at": self._clock.now().isoformat(),
            }
            self._ledger.append(conn, encode_entry(entry_type, version, fields))

    # One step ----------------------------------------------------------------------------

    def _step(self, conn: Connection) -> RunSummary:
        # (1)
        count, account_id = self._lock(conn)
        self._catch_up(conn, count)
        if account_id is None:
            account_id = self._system_account(conn)
        # (2)
        waiting = conn.execute(
            select(rule_events)
            .where(rule_events.c.processed_seq.is_(None))
            .order_by(rule_events.c.at, rule_events.c.id)
            .limit(self._batch)
        ).all()
        step = _Step()
        set_aside = self._quarantined_refs(conn)
        processed = []
        for row in waiting:
            event = hydrate(conn, row.kind, row.subject_id, row.at)
            if event is not None:
                # (3), (4)
                self._run_rules(conn, event, row.id, account_id, set_aside, step)
                sighting = sighting_of(event)
                if sighting is not None:
                    self._window = self._window.observe(sighting)
            # (5)
            count += 1
            processed.append({"id": row.id, "seq": count})
        _PROCESSED.run_many(conn, processed)
        conn.execute(
            update(rule_runner)
            .where(rule_runner.c.name == _RUNNER)
            .values(processed_seq=count, account_id=account_id)
        )
        # (6)
        old = self._clock.now() - self._rules.horizon - _KEPT
        conn.execute(
            delete(rule_events).where(
                rule_events.c.processed_seq.is_not(None), rule_events.c.at < old
            )
        )
        self._seen = count
        return RunSummary(len(waiting), step.detections, step.quarantined)

    def _lock(self, conn: Connection) -> tuple[int, int | None]:
        """(1): the runner's row, locked until the transaction ends (SQLite's write
        transaction holds the database's lock already)."""
        insert_ignoring_conflicts(
            conn, rule_runner, [{"name": _RUNNER, "processed_seq": 0}], on=("name",)
        )
        row = conn.execute(
            select(rule_runner).where(rule_runner.c.name == _RUNNER).with_for_update()
        ).one()
        return int(row.processed_seq), row.account_id

    def _catch_up(self, conn: Connection, count: int) -> None:
        """(1): rebuild the window from the recent processed events on the first step (or
        after a failed one); else add those another server processed since this one's."""
        if self._seen is not None and self._seen == count:
            return
        table = rule_events
        if self._seen is None:
            self._window = start_window(self._rules, self._window.capacity)
            since = self._clock.now() - self._rules.horizon
            query = (
                select(table)
                .where(table.c.processed_seq.is_not(None), table.c.at > since)
                .order_by(table.c.at.desc(), table.c.id.desc())
                .limit(self._window.capacity)
            )
            rows = list(reversed(conn.execute(query).all()))
        else:
            query = (
                select(table)
                .where(table.c.processed_seq > self._seen)
                .order_by(table.c.processed_seq)
            )
            rows = list(conn.execute(query))
        for row in rows:
            event = hydrate(conn, row.kind, row.subject_id, row.at)
            sighting = None if event is None else sighting_of(event)
            if sighting is not None:
                self._window = self._window.observe(sighting)
        self._seen = count

    def _system_account(self, conn: Connection) -> int:
        """(1): the account automated decisions are taken under, created on the first run
        (under the runner's lock, so once): a moderator no one signs in as."""
        made = self._microblog.accounts.create_system_account(
            SYSTEM_HANDLES, SYSTEM_NAME, Role.MODERATOR, conn=conn
        )
        return made.id

    def _quarantined_refs(self, conn: Connection) -> set[str]:
        rows = conn.execute(select(rule_quarantines.c.rule_id, rule_quarantines.c.version))
        return {f"{r.rule_id}@{r.version}" for r in rows}

    # Rules on one event ------------------------------------------------------------------

    def _run_rules(
        self,
        conn: Connection,
        event: Event,
        event_id: int,
        account_id: int,
        set_aside: set[str],
        step: _Step,
    ) -> None:
        for rule_id in sorted(self._rules.rules):
            rule = self._rules.rules[rule_id]
            if rule.ref in set_aside:
                continue
            try:
                matched = self._matcher(RuleSet({rule.id: rule}), self._window, event)
                if matched.detections:  # the matcher is pure: only what follows writes
                    with conn.begin_nested():
                        step.detections += sum(
                            self._follow_up(conn, detection, account_id)
                            for detection in matched.detections
                        )
            except (OperationalError, InterfaceError):
                raise  # the database failed, not the rule: the step is retried
            except Exception as error:  # (4): whatever the rule raised, it is set aside
                self._quarantine(conn, rule, error, event_id)
                set_aside.add(rule.ref)
                step.quarantined += (rule.ref,)

    def _follow_up(self, conn: Connection, detection: Detection, account_id: int) -> int:
        """(3): what `detection` leads to, logged; how many detections were logged (0 when
        its item is gone, or when the rule already acted on it)."""
        target = detection.target
        try:
            about = author_of(conn, target)
        except TargetNotFoundError:
            return 0  # deleted before the rule ran: nothing left to act on
        if detection.acts and self._already_acted(conn, detection):
            return 0
        outcome, case_id, action_id, opened = DetectionOutcome.CASE, None, None, False
        if detection.acts:
            decision = replace(detection.decision(account_id), rule=detection.rule_ref)
            try:
                with conn.begin_nested():
                    action_id = self._enforce(decision, conn=conn).id
                outcome = DetectionOutcome.ACTION
            except (BlanketActionError, SecondModeratorRequiredError):
                outcome = DetectionOutcome.CASE_IN_ELECTION_WINDOW
        if outcome != DetectionOutcome.ACTION:
            severity = detection.severity or _WOULD_ACT_SEVERITY
            case_id, opened = self._case(conn, detection, about, severity)
        record = DetectionRecord(
            id=self._ids.next_id(),
            rule=detection.rule_ref,
            target_kind="post" if isinstance(target, PostTarget) else "account",
            target_id=target.post_id if isinstance(target, PostTarget) else target.account_id,
            account_id=about,
            outcome=outcome,
            case_id=case_id,
            action_id=action_id,
            facts=detection.facts,
            detected_at=detection.detected_at,
        )
        kind = self._rules.rule(detection.rule_ref).match.kind
        conn.execute(insert(rule_detections), _detection_row(record, kind, opened))
        self._ledger.append(conn, detection_entry(record))
        return 1

    def _case(
        self, conn: Connection, detection: Detection, about: int, severity: int
    ) -> tuple[int, bool]:
        """The id of the case the detection opened or joined, and whether it opened it."""
        try:
            return self._join_or_open(conn, detection, about, severity)
        except IntegrityError:
            # A report filed at the same moment opened the item's case first: join it.
            return self._join_or_open(conn, detection, about, severity)

    def _join_or_open(
        self, conn: Connection, detection: Detection, about: int, severity: int
    ) -> tuple[int, bool]:
        key = open_key(detection.target)
        with conn.begin_nested():
            existing = conn.execute(
                select(moderation_cases.c.id).where(moderation_cases.c.open_key == key)
            ).first()
            case_id = join_or_open_case(
                conn,
                self._ids,
                self._clock.now(),
                detection.target,
                about,
                severity,
                detection.clause.partition("@")[0],
            )
            return case_id, existing is None

    def _already_acted(self, conn: Connection, detection: Detection) -> bool:
        """Whether this rule version already acted on this item (an edited post that still
        links to a listed domain is removed once)."""
        target = detection.target
        target_id = target.post_id if isinstance(target, PostTarget) else target.account_id
        query = select(rule_detections.c.id).where(
            rule_detections.c.rule_id == detection.rule,
            rule_detections.c.version == detection.rule_version,
            rule_detections.c.target_id == target_id,
            rule_detections.c.outcome == DetectionOutcome.ACTION.value,
        )
        return conn.execute(query.limit(1)).first() is not None

    def _quarantine(self, conn: Connection, rule: Rule, error: Exception, event_id: int) -> None:
        """(4): set `rule` aside, in the ledger too. The entry names the rule, the event and
        the kind of error — not its message, which may quote what the rule read."""
        now = self._clock.now()
        _log.error(
            "automated rule %s raised on event %s and is quarantined",
            rule.ref,
            event_id,
            exc_info=error,
        )
        row = {
            "rule_id": rule.id,
            "version": rule.version,
            "error": f"{type(error).__name__}: {error}",
            "event_id": event_id,
            "quarantined_at": now,
        }
        if insert_ignoring_conflicts(conn, rule_quarantines, [row], on=("rule_id", "version")):
            entry_type, version = QUARANTINE_ENTRY
            fields: dict[str, JSON] = {
                "rule": rule.ref,
                "event_id": str(event_id),
                "error_type": type(error).__name__,
                "quarantined_at": now.isoformat(),
            }
            self._ledger.append(conn, encode_entry(entry_type, version, fields))


def _detection_row(record: DetectionRecord, kind: str, opened: bool) -> dict[str, object]:
    return {
        "id": record.id,
        "rule_id": record.rule_id,
        "version": record.rule_version,
        "kind": kind,
        "target_kind": record.target_kind,
        "target_id": record.target_id,
        "account_id": record.account_id,
        "outcome": record.outcome.value,
        "case_id": record.case_id,
        "opened_case": opened,
        "action_id": record.action_id,
        "facts": record.facts,
        "detected_at": record.detected_at,
    }


_PROCESSED = Prebuilt(
    update(rule_events)
    .where(rule_events.c.id == bindparam("id"))
    .values(processed_seq=bindparam("seq"))
)
