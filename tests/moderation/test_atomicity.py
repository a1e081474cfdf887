"""The enforcement path is ONE transaction with the workflow that asked for it (DESIGN.md,
"The enforcement path"): a case decision and its case update, an appeal outcome, its
restore and its ledger entry commit together or not at all. Each test lets `enforce`
succeed inside the caller's transaction, then makes the caller fail after it."""

from dataclasses import dataclass, replace

import pytest
from sqlalchemy import Connection, Table, func, select, update

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING, Decide
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.ledger import decode_entry
from townsquare.microblog import Account, Role
from townsquare.moderation import (
    Action,
    ActionKind,
    AppealState,
    AppealTransitionError,
    CaseDecision,
    Cases,
    CaseState,
    Decision,
    IllegalTransitionError,
    Moderation,
    PostTarget,
    ReportCategory,
    ReportDraft,
)
from townsquare.moderation._appeals import AppealContext, Appeals
from townsquare.moderation._enforce import Enforcement
from townsquare.moderation._proposals import Proposals
from townsquare.storage.tables import (
    ledger_pending,
    moderation_actions,
    moderation_appeals,
    moderation_cases,
    moderation_notices,
    moderation_restrictions,
    notifications,
)

REMOVE = CaseDecision(ActionKind.REMOVE, f"{ANYTHING}@3", "Insults a member by name.")


@dataclass(frozen=True)
class Written:
    """Everything `enforce` writes, counted."""

    actions: int
    restrictions: int
    entries: int
    notices: int
    notifications: int  # the members told, in the decision's transaction


def _written(moderation: Moderation) -> Written:
    with moderation.db.read() as conn:
        return Written(
            *(
                conn.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (
                    moderation_actions,
                    moderation_restrictions,
                    ledger_pending,
                    moderation_notices,
                    notifications,
                )
            )
        )


class _ThenMeddle:
    """A fault hook: the real `enforce`, then `meddle` in the same transaction (what a
    concurrent moderator's commit would look like to the caller's guarded update)."""

    def __init__(self, moderation: Moderation, table: Table, row_id: int, state: str) -> None:
        self._moderation, self._table, self._row_id, self._state = (
            moderation,
            table,
            row_id,
            state,
        )

    def __call__(self, decision: Decision, *, conn: Connection | None = None) -> Action:
        assert conn is not None, "the workflow MUST hand enforce its own transaction"
        action = self._moderation.enforce(decision, conn=conn)
        table = self._table
        conn.execute(update(table).where(table.c.id == self._row_id).values(state=self._state))
        return action


@pytest.fixture
def author(make_account: AccountFactory) -> Account:
    return make_account("author")


@pytest.fixture
def case_in_review(
    moderation: Moderation,
    moderator: Account,
    author: Account,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> int:
    draft = ReportDraft(
        make_account("reporter").id, PostTarget(make_post(author).id), ReportCategory.VIOLATION
    )
    case_id = moderation.cases.report(draft).case_id
    moderation.cases.take(case_id, moderator.id)
    return case_id


def test_a_case_decision_and_its_case_update_commit_together(
    moderation: Moderation, moderator: Account, case_in_review: int
) -> None:
    before = _written(moderation)
    moderation.cases.decide(case_in_review, moderator.id, REMOVE)
    after = _written(moderation)
    assert after == Written(
        before.actions + 1,
        before.restrictions + 1,
        before.entries + 1,
        before.notices + 2,
        before.notifications + 2,  # the author and the reporter
    )
    with moderation.db.read() as conn:
        row = conn.execute(
            select(moderation_cases).where(moderation_cases.c.id == case_in_review)
        ).one()
    assert (row.state, row.outcome) == (CaseState.DECIDED.value, "remove")


def test_a_failed_case_update_undoes_the_enforcement(
    moderation: Moderation,
    services: Services,
    clock: FixedClock,
    moderator: Account,
    case_in_review: int,
) -> None:
    ids = services.microblog.context.ids
    given = Enforcement(moderation.db, services.ledger, moderation.policies, clock, ids)
    meddling = Cases(
        moderation.db,
        Proposals(given, _ThenMeddle(moderation, moderation_cases, case_in_review, "open")),
        moderation.policies,
        clock=clock,
        ids=ids,
        pseudonym_key=b"k" * 32,
    )
    before = _written(moderation)
    with pytest.raises(IllegalTransitionError, match="changed by another moderator"):
        meddling.decide(case_in_review, moderator.id, REMOVE)
    assert _written(moderation) == before  # no action, projection, entry or notice
    state = moderation.cases.case_file(case_in_review, moderator.id).case.state
    assert state == CaseState.IN_REVIEW
    assert moderation.check_projection().matches


@pytest.fixture
def reviewer(make_account: AccountFactory) -> Account:
    return make_account("second", role=Role.MODERATOR)


@pytest.fixture
def assigned_appeal(
    moderation: Moderation,
    decide: Decide,
    author: Account,
    reviewer: Account,
    make_post: PostFactory,
) -> int:
    post = make_post(author, "a post the moderator removes")
    removal = moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id))).id
    appeal = moderation.appeals.file(author.id, removal, "It was satire.")
    moderation.appeals.assign(appeal.id, reviewer.id)
    return appeal.id


class _RefusingAppealEntries:
    """A fault hook around the ledger: appending a `moderation.appeal` entry fails."""

    def __init__(self, log: object) -> None:
        self._log = log

    def append(self, conn: Connection, entry: bytes) -> int:
        if decode_entry(entry).type == "moderation.appeal":
            raise RuntimeError("injected: the ledger refused the appeal entry")
        return self._log.append(conn, entry)  # type: ignore[attr-defined, no-any-return]


def _appeals(
    moderation: Moderation, services: Services, clock: FixedClock, **hooks: object
) -> Appeals:
    context = AppealContext(
        moderation.db, services.ledger, moderation.enforce, clock, services.microblog.context.ids
    )
    return Appeals(replace(context, **hooks))  # type: ignore[arg-type]


def test_an_appeal_reversal_restores_and_logs_its_outcome_together(
    moderation: Moderation, reviewer: Account, assigned_appeal: int
) -> None:
    before = _written(moderation)
    decided = moderation.appeals.decide(
        assigned_appeal, reviewer.id, AppealState.REVERSED, "Satire."
    )
    assert decided.restore_action_id is not None
    after = _written(moderation)
    # the restore (an action, a notice, its entry), the appeal's entry; the removal lifted
    assert after == Written(
        before.actions + 1,
        before.restrictions - 1,
        before.entries + 2,
        before.notices + 1,
        before.notifications + 2,  # the restoration, and the appeal's outcome
    )


def test_a_failed_appeal_entry_undoes_the_restore(
    moderation: Moderation,
    services: Services,
    clock: FixedClock,
    reviewer: Account,
    assigned_appeal: int,
) -> None:
    refusing = _appeals(moderation, services, clock, log=_RefusingAppealEntries(services.ledger))
    before = _written(moderation)
    with pytest.raises(RuntimeError, match="injected"):
        refusing.decide(assigned_appeal, reviewer.id, AppealState.REVERSED, "Satire.")
    assert _written(moderation) == before
    assert moderation.appeals.state_of(assigned_appeal) == AppealState.ASSIGNED
    assert moderation.check_projection().matches


def test_a_failed_appeal_update_undoes_the_restore(
    moderation: Moderation,
    services: Services,
    clock: FixedClock,
    reviewer: Account,
    assigned_appeal: int,
) -> None:
    meddling = _appeals(
        moderation,
        services,
        clock,
        enforce=_ThenMeddle(moderation, moderation_appeals, assigned_appeal, "upheld"),
    )
    before = _written(moderation)
    with pytest.raises(AppealTransitionError, match="moved while"):
        meddling.decide(assigned_appeal, reviewer.id, AppealState.REVERSED, "Satire.")
    assert _written(moderation) == before
    assert moderation.appeals.state_of(assigned_appeal) == AppealState.ASSIGNED
    assert moderation.check_projection().matches
