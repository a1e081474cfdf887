"""`Cases`: the handlers of the case state machine (`_cases.TRANSITIONS`), reports, the
review queue and the published "files" of a decided case.

Every handler checks the moderator (a moderator or admin, never on their own content),
computes the next state with `next_state`, and writes it only if the case is still in the
state it read (so two moderators cannot both take or decide a case). A decision goes
through `enforce` — "no action" too — in the same transaction that moves the case to
decided, so a decision is never in force on a case still open (or the reverse). Where an
election window's two-person rule governs it, the decision is proposed instead
(`Proposals.decide`), and enforced when a second moderator approves it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, distinct, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from townsquare.kernel import Clock, SnowflakeGenerator
from townsquare.microblog import Surface
from townsquare.moderation._blind_review import (
    CaseItem,
    RevealedAuthor,
    author_handle,
    case_item,
    check_reveal_reason,
    revealed_author,
    the_author,
)
from townsquare.moderation._cases import (
    COMMENTABLE,
    PUBLISHED,
    Case,
    CaseEvent,
    CaseNotFoundError,
    CaseState,
    IllegalTransitionError,
    NotTheReviewerError,
    next_state,
)
from townsquare.moderation._copies import Copy, copies_of, copy_decisions
from townsquare.moderation._decisions import AccountTarget, Action, Decision, PostTarget
from townsquare.moderation._deliberation import (
    Comment,
    CommentKind,
    PublishedComment,
    author_pseudonym,
    hide_author,
    moderator_pseudonym,
    publish_comment,
    redact,
)
from townsquare.moderation._errors import InvalidDecisionError, OwnContentError
from townsquare.moderation._policies import ActionKind, PolicySet
from townsquare.moderation._proposal_records import (
    Proposal,
    ProposalState,
    pending_proposal_for_case,
    proposals_for_case,
)
from townsquare.moderation._proposals import Proposals
from townsquare.moderation._queue import QueueFilter, QueueItem, review_queue
from townsquare.moderation._reports import (
    Report,
    ReportCategory,
    ReportDraft,
    file_report,
    open_key,
)
from townsquare.moderation._roles import require_moderator
from townsquare.moderation.rules._case_detections import (
    CaseDetection,
    case_detections,
    case_rule,
)
from townsquare.storage import Database
from townsquare.storage.tables import (
    accounts,
    election_windows,
    moderation_case_comments,
    moderation_cases,
    moderation_reports,
)

__all__ = [
    "CaseDecision",
    "CaseFile",
    "CaseProposal",
    "Cases",
    "PublishedCase",
    "ReportSummary",
    "case_decision",
]

_MAX_COMMENT = 5000


@dataclass(frozen=True)
class CaseDecision:
    """What the reviewer decides; `enforce` gets it as a `Decision` on the case's item."""

    action: ActionKind
    clause: str  # "id@version"
    facts: str
    label: str = ""
    content_warning: str = ""
    territorial_scope: tuple[str, ...] = ()
    ends_at: datetime | None = None
    surfaces: tuple[Surface, ...] = ()  # reduced reach only; empty: the default surfaces


@dataclass(frozen=True)
class ReportSummary:
    """A report as moderators see it: what was said, not who said it."""

    category: ReportCategory
    clause: str | None
    comment: str
    created_at: datetime


@dataclass(frozen=True)
class CaseProposal:
    """A decision proposed on the case for a second moderator's approval, and what became
    of it: moderators by pseudonym; for the public, facts and reasons redacted."""

    id: int
    state: ProposalState
    proposer: str
    decided_by: str | None
    decision: Decision
    facts: str
    reason: str | None
    window_id: int | None
    window_name: str | None
    created_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class CaseFile:
    """A case as its moderators see it: blind (the author by pseudonym, the post's content
    as `item`, the author's handle hidden in what reporters wrote), reports without
    reporters, the deliberation so far (moderators by pseudonym, unredacted), and the
    decisions proposed on it (the pending one, if any, last). `revealed` names the author
    once this moderator has revealed them (`Cases.reveal`). `detections` are the automated
    rules' detections that opened or joined the case (a report storm among them)."""

    case: Case
    author: str
    reports: tuple[ReportSummary, ...]
    comments: tuple[PublishedComment, ...]
    proposals: tuple[CaseProposal, ...] = ()
    item: CaseItem | None = None
    revealed: RevealedAuthor | None = None
    detections: tuple[CaseDetection, ...] = ()

    @property
    def pending(self) -> CaseProposal | None:
        waiting = [p for p in self.proposals if p.state == ProposalState.PROPOSED]
        return waiting[-1] if waiting else None


@dataclass(frozen=True)
class PublishedCase:
    """A decided case as everyone sees it: the decision, the redacted deliberation and the
    proposals a second moderator approved or rejected. Never a reporter's identity."""

    case: Case
    deliberation: tuple[PublishedComment, ...]
    proposals: tuple[CaseProposal, ...] = ()


class Cases:
    """Reports, cases and their deliberation. `proposals` MUST be `Moderation.proposals`."""

    def __init__(
        self,
        db: Database,
        proposals: Proposals,
        policies: PolicySet,
        *,
        clock: Clock,
        ids: SnowflakeGenerator,
        pseudonym_key: bytes,
    ) -> None:
        self._db = db
        self._proposals = proposals
        self._policies = policies
        self._clock = clock
        self._ids = ids
        self._key = pseudonym_key

    # Reports -----------------------------------------------------------------------------

    def report(self, draft: ReportDraft) -> Report:
        """File a report into its item's open case (one is opened if there is none)."""
        if draft.clause is not None:
            cited = self._policies.clause(draft.clause).id
            draft = ReportDraft(
                draft.reporter_id, draft.target, draft.category, cited, draft.comment
            )
        try:
            return self._file(draft)
        except IntegrityError:
            # Another report opened the item's case between our read and insert: join it.
            return self._file(draft)

    def _file(self, draft: ReportDraft) -> Report:
        with self._db.write() as conn:
            return file_report(conn, self._ids, self._clock.now(), draft)

    # Handlers, one per transition --------------------------------------------------------

    def take(self, case_id: int, moderator_id: int) -> Case:
        """open → in_review, with `moderator_id` as the reviewer."""
        with self._db.write() as conn:
            case = self._handled_case(conn, case_id, moderator_id)
            return _transition(conn, case, CaseEvent.TAKE, reviewer_id=moderator_id)

    def release(self, case_id: int, moderator_id: int) -> Case:
        """in_review → open: the reviewer hands the case back to the queue."""
        with self._db.write() as conn:
            case = self._handled_case(conn, case_id, moderator_id)
            _require_reviewer(case, moderator_id)
            return _transition(conn, case, CaseEvent.RELEASE, reviewer_id=None)

    def decide(
        self,
        case_id: int,
        moderator_id: int,
        decided: CaseDecision,
        *,
        copies: Sequence[int] = (),
    ) -> Case:
        """in_review → decided, in ONE transaction: (1) check the reviewer and the state,
        (2) `enforce` the decision on the case's item (which also tells the reporters),
        (3) `enforce` it on each of the chosen `copies` of the case's post (`copies_of`),
        one decision and one ledger entry per copy, linked to (2) by `copy_of` — a copy's
        own open case, if it has one, is decided by it — (4) record it on the case and
        clear its open key. Any refusal undoes them all.
        Where a second moderator must approve it, (2) records a proposal instead, (3) is
        refused if copies were chosen, and (4) moves the case to awaiting_approval."""
        with self._db.write() as conn:
            # (1)
            case = self._handled_case(conn, case_id, moderator_id)
            _require_reviewer(case, moderator_id)
            next_state(case.state, CaseEvent.DECIDE)
            # (2)
            rule = case_rule(conn, case.id)
            done = self._proposals.decide(
                case_decision(case, moderator_id, decided, rule), conn=conn
            )
            if isinstance(done, Proposal):
                if copies:
                    raise InvalidDecisionError(
                        "copies: a decision awaiting a second moderator covers no copies; "
                        "decide them once it is approved"
                    )
                return _transition(conn, case, CaseEvent.PROPOSE, reviewer_id=moderator_id)
            # (3)
            self._decide_copies(conn, done, copies)
            # (4)
            return _transition(conn, case, CaseEvent.DECIDE, **_decided(moderator_id, done))

    def copies(self, case_id: int, moderator_id: int) -> list[Copy]:
        """The copies of the case's post not yet restricted, for the moderator to decide
        with it (none for a case about an account)."""
        with self._db.read() as conn:
            case = self._handled_case(conn, case_id, moderator_id)
            if not isinstance(case.target, PostTarget):
                return []
            now = self._clock.now()
            return copies_of(conn, case.target.post_id, now, moderator_id=moderator_id)

    def _decide_copies(self, conn: Connection, original: Action, chosen: Sequence[int]) -> None:
        """(3): each chosen copy its own enforcement, in the case's transaction."""
        if not chosen:
            return
        target = original.decision.target
        if not isinstance(target, PostTarget):
            raise InvalidDecisionError("copies: only a decision on a post covers copies")
        found = copies_of(
            conn,
            target.post_id,
            original.created_at,
            deciding=original.decision.action,
            moderator_id=original.decision.actor_id,
            limit=None,
        )
        for decision in copy_decisions(original, chosen, found):
            done = self._proposals.decide(decision, conn=conn)
            if isinstance(done, Proposal):
                raise InvalidDecisionError(
                    f"copies: post {_target_post(decision)} is election-related content in an "
                    "open window; a second moderator must approve it on its own case"
                )
            _cover_open_case(conn, done)

    def approve(self, case_id: int, moderator_id: int) -> Case:
        """awaiting_approval → decided: a second moderator approves the pending proposal,
        which `enforce` applies, in the transaction that records it on the case."""
        with self._db.write() as conn:
            case = self._handled_case(conn, case_id, moderator_id)
            next_state(case.state, CaseEvent.APPROVE)
            pending = pending_proposal_for_case(conn, case_id)
            action = self._proposals.approve(pending.id, moderator_id, conn=conn)
            values = _decided(pending.proposer_id, action)
            return _transition(conn, case, CaseEvent.APPROVE, **values)

    def reject(self, case_id: int, moderator_id: int, reason: str) -> Case:
        """awaiting_approval → in_review: a second moderator rejects the pending proposal
        (or its proposer withdraws it), saying why; the reviewer decides again."""
        with self._db.write() as conn:
            case = self._handled_case(conn, case_id, moderator_id)
            next_state(case.state, CaseEvent.REJECT)
            pending = pending_proposal_for_case(conn, case_id)
            self._proposals.reject(pending.id, moderator_id, reason, conn=conn)
            return _transition(conn, case, CaseEvent.REJECT)

    def close(self, case_id: int, moderator_id: int) -> Case:
        """decided → closed."""
        with self._db.write() as conn:
            case = self._handled_case(conn, case_id, moderator_id)
            return _transition(conn, case, CaseEvent.CLOSE)

    def comment(self, case_id: int, moderator_id: int, body: str) -> Comment:
        """Add to the deliberation, while the case is open or in review."""
        text = body.strip()
        if not 0 < len(text) <= _MAX_COMMENT:
            raise InvalidDecisionError(f"comment: expected 1 to {_MAX_COMMENT} characters")
        with self._db.write() as conn:
            case = self._handled_case(conn, case_id, moderator_id)
            if case.state not in COMMENTABLE:
                raise IllegalTransitionError(
                    f"case is {case.state.value}: comments close with the decision"
                )
            made = Comment(self._ids.next_id(), case_id, moderator_id, text, self._clock.now())
            conn.execute(insert(moderation_case_comments), _comment_row(made))
            return made

    def reveal(self, case_id: int, moderator_id: int, reason: str) -> RevealedAuthor:
        """Lift blind review on the case for `moderator_id`, who says why: the reason is
        a deliberation entry (`CommentKind.REVEAL`), published with the decision under
        the moderator's pseudonym, written in the transaction that shows the author."""
        text = check_reveal_reason(reason)
        with self._db.write() as conn:
            case = self._handled_case(conn, case_id, moderator_id)
            made = Comment(
                self._ids.next_id(),
                case_id,
                moderator_id,
                text,
                self._clock.now(),
                CommentKind.REVEAL,
            )
            conn.execute(insert(moderation_case_comments), _comment_row(made))
            return the_author(conn, case, made.created_at)

    # Reading -----------------------------------------------------------------------------

    def queue(self, moderator_id: int, wanted: QueueFilter) -> list[QueueItem]:
        """The review queue, blind (authors by per-case pseudonyms); moderators only."""
        with self._db.read() as conn:
            require_moderator(conn, moderator_id)
            return review_queue(conn, self._key, self._clock.now(), wanted)

    def case_file(self, case_id: int, moderator_id: int) -> CaseFile:
        """The case for a moderator who may handle it (not one about their own content),
        blind unless they revealed its author."""
        with self._db.read() as conn:
            case = self._handled_case(conn, case_id, moderator_id)
            revealed = revealed_author(conn, case, moderator_id)
            handle = author_handle(conn, case)

            def blind(text: str) -> str:
                # Another moderator may have revealed the author and named them.
                return text if revealed is not None else hide_author(text, handle)

            reports = tuple(replace(r, comment=blind(r.comment)) for r in _reports(conn, case_id))
            # Unredacted for moderators, yet under the pseudonyms the public will see.
            comments = tuple(
                PublishedComment(
                    moderator_pseudonym(self._key, c.moderator_id),
                    blind(c.body),
                    c.created_at,
                    c.kind,
                )
                for c in _comments(conn, case_id)
            )
            proposals = self._proposals_shown(conn, case_id, None)
            item = case_item(conn, case)
            detections = case_detections(conn, case_id)
        author = author_pseudonym(self._key, case.id, case.author_id)
        return CaseFile(case, author, reports, comments, proposals, item, revealed, detections)

    def published(self, case_id: int) -> PublishedCase:
        """A decided case's decision and redacted deliberation; undecided → not found."""
        with self._db.read() as conn:
            case = _load(conn, case_id)
            if case.state not in PUBLISHED:
                raise CaseNotFoundError(f"case {case_id}: no decided case with this id")
            handles = _reporter_handles(conn, case_id)
            published = tuple(
                publish_comment(self._key, c, handles) for c in _comments(conn, case_id)
            )
            proposals = self._proposals_shown(conn, case_id, handles)
        return PublishedCase(case, published, proposals)

    def _proposals_shown(
        self, conn: Connection, case_id: int, redacting: list[str] | None
    ) -> tuple[CaseProposal, ...]:
        """The case's proposals under pseudonyms; with `redacting` (the public's view), their
        facts and reasons redacted by the deliberation's rules."""
        found = proposals_for_case(conn, case_id)
        names = _window_names(conn, {p.window_id for p in found if p.window_id is not None})
        return tuple(self._shown(p, names, redacting) for p in found)

    def _shown(
        self, proposal: Proposal, window_names: dict[int, str], redacting: list[str] | None
    ) -> CaseProposal:
        def text(body: str) -> str:
            return body if redacting is None else redact(body, redacting)

        decider = proposal.decided_by
        return CaseProposal(
            id=proposal.id,
            state=proposal.state,
            proposer=moderator_pseudonym(self._key, proposal.proposer_id),
            decided_by=None if decider is None else moderator_pseudonym(self._key, decider),
            decision=proposal.decision,
            facts=text(proposal.decision.facts),
            reason=None if proposal.reason is None else text(proposal.reason),
            window_id=proposal.window_id,
            window_name=window_names.get(proposal.window_id or 0),
            created_at=proposal.created_at,
            decided_at=proposal.decided_at,
        )

    def _handled_case(self, conn: Connection, case_id: int, moderator_id: int) -> Case:
        require_moderator(conn, moderator_id)
        case = _load(conn, case_id)
        if case.author_id == moderator_id:
            raise OwnContentError(
                "a moderator never handles a case about their own content: another must"
            )
        return case


def _cover_open_case(conn: Connection, copy: Action) -> None:
    """The copy's own case, if it is open (not one a moderator is reviewing), is decided by
    the decision that covered the copy: no case stays in the queue about a decided post."""
    target = copy.decision.target
    if not isinstance(target, PostTarget):
        return
    key = open_key(target)
    found = conn.scalar(
        select(moderation_cases.c.id).where(
            moderation_cases.c.open_key == key, moderation_cases.c.state == CaseState.OPEN.value
        )
    )
    if found is not None:
        case = _load(conn, found)
        _transition(conn, case, CaseEvent.COVER, **_decided(copy.decision.actor_id, copy))


def _target_post(decision: Decision) -> int | None:
    target = decision.target
    return target.post_id if isinstance(target, PostTarget) else None


def _require_reviewer(case: Case, moderator_id: int) -> None:
    if case.reviewer_id is not None and case.reviewer_id != moderator_id:
        raise NotTheReviewerError(f"case {case.id}: another moderator is reviewing it")


def _transition(conn: Connection, case: Case, event: CaseEvent, **values: object) -> Case:
    """Run `event` on `case` if it is still in the state it was read in."""
    new = next_state(case.state, event)
    changed = conn.execute(
        update(moderation_cases)
        .where(moderation_cases.c.id == case.id, moderation_cases.c.state == case.state.value)
        .values(state=new.value, **values)
    )
    if changed.rowcount != 1:
        raise IllegalTransitionError(f"case {case.id}: changed by another moderator meanwhile")
    return _load(conn, case.id)


def _window_names(conn: Connection, window_ids: set[int]) -> dict[int, str]:
    if not window_ids:
        return {}
    query = select(election_windows.c.id, election_windows.c.name).where(
        election_windows.c.id.in_(sorted(window_ids))
    )
    return {row.id: row.name for row in conn.execute(query)}


def _decided(reviewer_id: int, action: Action) -> dict[str, object]:
    """The case's columns once `action` decided it."""
    return {
        "reviewer_id": reviewer_id,
        "action_id": action.id,
        "outcome": action.decision.action.value,
        "decided_at": action.created_at,
        "open_key": None,
    }


def case_decision(
    case: Case, moderator_id: int, decided: CaseDecision, rule: str | None = None
) -> Decision:
    """The `Decision` a reviewer's `decided` makes on the case's item. On a case an automated
    rule opened (`rule`, `id@version`), the detection was automated, the decision is not."""
    return Decision(
        automated_detection=rule is not None,
        rule=rule,
        actor_id=moderator_id,
        action=decided.action,
        target=case.target,
        clause=decided.clause,
        facts=decided.facts,
        label=decided.label,
        content_warning=decided.content_warning,
        territorial_scope=decided.territorial_scope,
        ends_at=decided.ends_at,
        surfaces=decided.surfaces,
        case_id=case.id,
    )


def _load(conn: Connection, case_id: int) -> Case:
    row = conn.execute(select(moderation_cases).where(moderation_cases.c.id == case_id)).first()
    if row is None:
        raise CaseNotFoundError(f"case {case_id}: no such case")
    # A case counts the people who reported it: one member reporting twice counts once.
    reporters = func.count(distinct(moderation_reports.c.reporter_id))
    count = select(reporters).where(moderation_reports.c.case_id == case_id)
    target = PostTarget(row.post_id) if row.post_id is not None else AccountTarget(row.account_id)
    return Case(
        id=row.id,
        target=target,
        author_id=row.account_id,
        state=CaseState(row.state),
        clause=row.clause,
        severity=row.severity,
        opened_at=row.opened_at,
        report_count=conn.execute(count).scalar_one(),
        reviewer_id=row.reviewer_id,
        action_id=row.action_id,
        outcome=row.outcome,
        decided_at=row.decided_at,
    )


def _reports(conn: Connection, case_id: int) -> tuple[ReportSummary, ...]:
    table = moderation_reports
    query = select(table).where(table.c.case_id == case_id).order_by(table.c.id)
    return tuple(
        ReportSummary(ReportCategory(r.category), r.clause, r.comment, r.created_at)
        for r in conn.execute(query)
    )


def _comments(conn: Connection, case_id: int) -> list[Comment]:
    table = moderation_case_comments
    query = select(table).where(table.c.case_id == case_id).order_by(table.c.id)
    return [
        Comment(r.id, r.case_id, r.moderator_id, r.body, r.created_at, CommentKind(r.kind))
        for r in conn.execute(query)
    ]


def _reporter_handles(conn: Connection, case_id: int) -> list[str]:
    """Every reporter is a private reporter: their handles are redacted from what is published."""
    query = (
        select(accounts.c.username)
        .join(moderation_reports, moderation_reports.c.reporter_id == accounts.c.id)
        .where(moderation_reports.c.case_id == case_id)
    )
    return sorted(set(conn.execute(query).scalars()))


def _comment_row(comment: Comment) -> dict[str, object]:
    return {
        "id": comment.id,
        "case_id": comment.case_id,
        "moderator_id": comment.moderator_id,
        "body": comment.body,
        "created_at": comment.created_at,
        "kind": comment.kind.value,
    }
