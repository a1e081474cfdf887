"""Outside requests: logged at intake (sealed ones as a commitment only), their items joining
cases, answered by what the cases decided, and public once released — one step at a time."""

import itertools
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING, START
from townsquare.app import Services
from townsquare.kernel import FixedClock, snowflake_time
from townsquare.ledger import decode_entry
from townsquare.microblog import Account, Post, Role
from townsquare.moderation import (
    ANSWER_ENTRY_TYPE,
    INTAKE_ENTRY_TYPE,
    MAX_SEAL,
    AccountTarget,
    ActionKind,
    CaseDecision,
    ExternalRequests,
    Ground,
    IllegalRequestTransitionError,
    InvalidRequestError,
    ItemResult,
    MalformedRequestEntryError,
    Moderation,
    NotAModeratorError,
    PostTarget,
    ReportDraft,
    RequestDraft,
    RequesterKind,
    RequestNotReadyError,
    RequestOutcome,
    RequestState,
    check_released,
    check_request_entries,
    commitment,
    request_numbers,
)
from townsquare.moderation._requests import (
    TRANSITIONS,
    answer_fields,
    day_of,
    new_request,
    next_state,
    outcome_of,
    request_details,
)
from townsquare.storage.tables import ledger_pending, moderation_cases, moderation_restrictions


@pytest.fixture
def author(make_account: AccountFactory) -> Account:
    return make_account("writer")


@pytest.fixture
def posts(author: Account, make_post: PostFactory) -> list[Post]:
    return [make_post(author, f"post number {n}") for n in range(2)]


MIDNIGHT = START.replace(hour=0)  # release dates are kept to the day


def _draft(*items: PostTarget | AccountTarget, **changes: object) -> RequestDraft:
    fields: dict[str, object] = {
        "requester_kind": RequesterKind.GOVERNMENT,
        "requester": "Prefecture of the Rhône",
        "legal_basis": "Electoral code, art. L. 52-1",
        "ground": Ground.ILLEGAL_CONTENT,
        "requested_action": ActionKind.REMOVE,
        "items": items,
        "summary": "Asks to remove two posts giving a wrong polling date.",
        "country": "fr",
        **changes,
    }
    return RequestDraft(**fields)  # type: ignore[arg-type]


def _logged(moderation: Moderation, type: str) -> list[dict[str, object]]:
    with moderation.db.read() as conn:
        rows = conn.execute(ledger_pending.select().order_by(ledger_pending.c.id)).all()
    decoded = [decode_entry(row.entry) for row in rows]
    return [dict(entry.fields) for entry in decoded if entry.type == type]


def _decide(moderation: Moderation, case_id: int, moderator: Account, action: ActionKind) -> None:
    moderation.cases.take(case_id, moderator.id)
    decided = CaseDecision(action, f"{ANYTHING}@3", "A wrong polling date.")
    moderation.cases.decide(case_id, moderator.id, decided)


# The pure core -----------------------------------------------------------------------------


def test_a_request_moves_only_as_the_table_says() -> None:
    assert next_state(RequestState.RECEIVED, RequestState.ANSWERED) == RequestState.ANSWERED
    assert next_state(RequestState.RECEIVED, RequestState.WITHDRAWN) == RequestState.WITHDRAWN
    for closed in (RequestState.ANSWERED, RequestState.WITHDRAWN):
        assert TRANSITIONS[closed] == frozenset()
        with pytest.raises(IllegalRequestTransitionError, match="it is closed"):
            next_state(closed, RequestState.ANSWERED)


def test_the_outcome_follows_what_the_cases_decided() -> None:
    post, other = PostTarget(1), PostTarget(2)
    removed = ItemResult(post, 10, ActionKind.REMOVE, 100)
    labelled = ItemResult(other, 11, ActionKind.LABEL, 101)
    left_up = ItemResult(other, 11, ActionKind.NO_ACTION, 102)
    assert outcome_of([removed, labelled]) == RequestOutcome.COMPLIED
    assert outcome_of([removed, left_up]) == RequestOutcome.PARTIALLY_COMPLIED
    assert outcome_of([left_up]) == RequestOutcome.DECLINED
    with pytest.raises(RequestNotReadyError, match="case 11"):
        outcome_of([removed, ItemResult(other, 11)])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"items": ()}, "items: expected 1 to 50"),
        ({"items": (PostTarget(1), PostTarget(1))}, "each item is named once"),
        ({"requester": "  "}, "requester: expected 1 to 200"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"summary": "x" * 5001}, "summary"),
        ({"country": "France"}, "ISO 3166"),
        ({"requested_action": ActionKind.RESTORE}, "requested_action"),
        ({"release_at": START - timedelta(seconds=1)}, "after now"),
        ({"release_at": START + MAX_SEAL + timedelta(days=1)}, "at most 1098 days"),
    ],
)
def test_an_incomplete_request_is_refused_with_what_is_wrong(
    changes: dict[str, object], message: str
) -> None:
    draft = _draft(PostTarget(1), **changes)
    with pytest.raises(InvalidRequestError, match=message):
        new_request(draft, START)


def test_a_request_is_trimmed_and_its_country_upper_cased() -> None:
    checked = new_request(_draft(PostTarget(1), requester="  Préfecture  ", country="fr"), START)
    assert (checked.requester, checked.country) == ("Préfecture", "FR")


# Intake ------------------------------------------------------------------------------------


def test_intake_logs_who_asked_for_what_and_each_item_joins_its_case(
    moderation: Moderation, moderator: Account, posts: list[Post], make_account: AccountFactory
) -> None:
    reporter = make_account("reporter")
    report = moderation.cases.report(ReportDraft(reporter.id, PostTarget(posts[0].id)))
    targets = [PostTarget(p.id) for p in posts]
    received = moderation.requests.receive(_draft(*targets), logged_by=moderator.id)

    assert received.state == RequestState.RECEIVED
    assert received.items[0].case_id == report.case_id  # joined the open case
    assert received.items[1].case_id != report.case_id  # opened one
    with moderation.db.read() as conn:
        severities = conn.execute(moderation_cases.select()).all()
    assert {row.severity for row in severities} == {4}  # as urgent as a legal report
    (entry,) = _logged(moderation, INTAKE_ENTRY_TYPE)
    assert entry["request_id"] == str(received.id)
    details = entry["details"]
    assert isinstance(details, dict)
    assert details["requester"] == "Prefecture of the Rhône"
    assert details["legal_basis"] == "Electoral code, art. L. 52-1"
    assert details["items"] == [{"post_id": str(p.id)} for p in posts]
    assert entry["release_at"] is None
    assert entry["commitment"] == commitment("details", details, str(entry["nonce"]))
    assert received.commitment == entry["commitment"]


def test_a_request_alone_changes_nothing_anyone_sees(
    moderation: Moderation, moderator: Account, posts: list[Post]
) -> None:
    moderation.requests.receive(_draft(PostTarget(posts[0].id)), logged_by=moderator.id)
    with moderation.db.read() as conn:
        assert conn.execute(moderation_restrictions.select()).all() == []


def test_only_moderators_and_admins_log_requests(
    moderation: Moderation, author: Account, posts: list[Post], make_account: AccountFactory
) -> None:
    member = make_account("member")
    with pytest.raises(NotAModeratorError, match="to log an outside request"):
        moderation.requests.receive(_draft(PostTarget(posts[0].id)), logged_by=member.id)
    admin = make_account("operator_ana", role=Role.ADMIN)
    assert moderation.requests.receive(_draft(AccountTarget(author.id)), logged_by=admin.id)
    # The operator, at the command line, logs as nobody in particular.
    assert moderation.requests.receive(_draft(PostTarget(posts[1].id)), logged_by=None)


# Sealing -----------------------------------------------------------------------------------


def test_a_sealed_request_is_a_commitment_until_its_release_date(
    moderation: Moderation, moderator: Account, posts: list[Post], clock: FixedClock
) -> None:
    release = MIDNIGHT + timedelta(days=30)
    draft = _draft(PostTarget(posts[0].id), release_at=release, summary="A court order.")
    sealed = moderation.requests.receive(draft, logged_by=moderator.id)

    (entry,) = _logged(moderation, INTAKE_ENTRY_TYPE)
    assert entry["details"] is None
    assert entry["nonce"] is None
    assert entry["release_at"] == release.isoformat()
    text = json.dumps(entry)
    for secret in ("Prefecture", "A court order", str(posts[0].id), "L. 52-1"):
        assert secret not in text
    public = moderation.requests.published(sealed.id)
    assert public.sealed
    assert public.request is None
    assert public.commitment == entry["commitment"]
    assert moderation.requests.published_for_case(sealed.items[0].case_id) == []

    clock.advance(release - START)
    released = moderation.requests.published(sealed.id)
    assert released.request is not None
    details = request_details(released.request.draft)
    assert commitment("details", details, released.request.nonce) == entry["commitment"]
    assert details["summary"] == "A court order."


def test_the_answer_to_a_sealed_request_is_sealed_too(
    moderation: Moderation, moderator: Account, posts: list[Post], make_account: AccountFactory
) -> None:
    draft = _draft(PostTarget(posts[0].id), release_at=MIDNIGHT + timedelta(days=30))
    sealed = moderation.requests.receive(draft, logged_by=moderator.id)
    _decide(moderation, sealed.items[0].case_id, moderator, ActionKind.REMOVE)
    answered = moderation.requests.answer(sealed.id, moderator.id, "Removed in France.")

    (entry,) = _logged(moderation, ANSWER_ENTRY_TYPE)
    assert entry["answer"] is None
    assert entry["nonce"] is None
    assert answered.answer is not None
    body = answer_fields(answered.answer)
    assert entry["commitment"] == commitment("answer", body, answered.nonce)


def test_a_sealed_request_is_dated_by_the_day_only_until_its_release(
    moderation: Moderation, moderator: Account, posts: list[Post], clock: FixedClock
) -> None:
    release = MIDNIGHT + timedelta(days=30)
    sealed = moderation.requests.receive(
        _draft(PostTarget(posts[0].id), release_at=release), logged_by=moderator.id
    )
    _decide(moderation, sealed.items[0].case_id, moderator, ActionKind.REMOVE)
    clock.advance(timedelta(hours=3))
    moderation.requests.answer(sealed.id, moderator.id, "Removed.")
    (intake,) = _logged(moderation, INTAKE_ENTRY_TYPE)
    (answer,) = _logged(moderation, ANSWER_ENTRY_TYPE)
    midnight = day_of(START)
    assert (intake["received_at"], answer["answered_at"]) == (midnight.isoformat(),) * 2
    public = moderation.requests.published(sealed.id)
    assert (public.received_at, public.answered_at) == (midnight, midnight)
    clock.advance(release - START)
    released = moderation.requests.published(sealed.id)
    assert released.received_at == START  # once released, the exact time is public
    assert released.answered_at == START + timedelta(hours=3)


def test_the_case_a_sealed_request_opens_is_dated_at_a_drawn_moment_of_the_day(
    services: Services,
    moderation: Moderation,
    moderator: Account,
    posts: list[Post],
    clock: FixedClock,
) -> None:
    """The case's id and opening time come from the moment drawn between the start of the
    day (or the item's creation, if later) and now; not from the request's arrival."""
    drawn: list[tuple[datetime, datetime]] = []

    def earliest(low: datetime, high: datetime) -> datetime:
        drawn.append((low, high))
        return low

    requests = ExternalRequests(
        services.db,
        services.ledger,
        clock=clock,
        ids=services.microblog.context.ids,
        request_ids=itertools.count(42).__next__,
        moments=earliest,
    )
    clock.advance(timedelta(hours=6))
    sealed = requests.receive(
        _draft(PostTarget(posts[0].id), release_at=MIDNIGHT + timedelta(days=9)),
        logged_by=moderator.id,
    )
    assert sealed.id == 42
    assert drawn == [(posts[0].created_at, START + timedelta(hours=6))]
    case = moderation.cases.case_file(sealed.items[0].case_id, moderator.id).case
    assert case.opened_at == posts[0].created_at
    assert snowflake_time(case.id) == posts[0].created_at.replace(microsecond=0)
    # An open request's case opens when it arrives, as a report's does.
    opened = requests.receive(_draft(PostTarget(posts[1].id)), logged_by=moderator.id)
    assert len(drawn) == 1
    case = moderation.cases.case_file(opened.items[0].case_id, moderator.id).case
    assert case.opened_at == START + timedelta(hours=6)


def test_a_day_starts_at_midnight_utc() -> None:
    assert day_of(datetime(2026, 6, 1, 23, 59, tzinfo=UTC)) == datetime(2026, 6, 1, tzinfo=UTC)
    paris = timezone(timedelta(hours=2))
    assert day_of(datetime(2026, 6, 2, 1, 0, tzinfo=paris)) == datetime(2026, 6, 1, tzinfo=UTC)


# Answers -----------------------------------------------------------------------------------


def test_the_answer_waits_for_the_cases_then_links_what_they_decided(
    moderation: Moderation, moderator: Account, posts: list[Post]
) -> None:
    targets = [PostTarget(p.id) for p in posts]
    received = moderation.requests.receive(_draft(*targets), logged_by=moderator.id)
    first, second = (item.case_id for item in received.items)
    _decide(moderation, first, moderator, ActionKind.REMOVE)
    with pytest.raises(RequestNotReadyError, match=f"case {second}"):
        moderation.requests.answer(received.id, moderator.id, "Too early.")

    _decide(moderation, second, moderator, ActionKind.NO_ACTION)
    answered = moderation.requests.answer(received.id, moderator.id, "One post was lawful.")
    assert answered.state == RequestState.ANSWERED
    assert answered.answer is not None
    assert answered.answer.outcome == RequestOutcome.PARTIALLY_COMPLIED

    (entry,) = _logged(moderation, ANSWER_ENTRY_TYPE)
    body = entry["answer"]
    assert isinstance(body, dict)
    assert body["outcome"] == "partially_complied"
    assert body["reasons"] == "One post was lawful."
    assert [item["action"] for item in body["items"]] == ["remove", "no_action"]
    assert [item["action_id"] for item in body["items"]] == [
        str(r.action_id) for r in answered.items
    ]
    with pytest.raises(IllegalRequestTransitionError):
        moderation.requests.answer(received.id, moderator.id, "Again.")


def test_a_withdrawn_request_leaves_its_cases_to_be_decided(
    moderation: Moderation, moderator: Account, posts: list[Post]
) -> None:
    received = moderation.requests.receive(_draft(PostTarget(posts[0].id)), logged_by=moderator.id)
    withdrawn = moderation.requests.withdraw(received.id, moderator.id, "The prefecture wrote.")
    assert withdrawn.state == RequestState.WITHDRAWN
    assert withdrawn.answer is not None
    assert withdrawn.answer.outcome == RequestOutcome.WITHDRAWN
    assert [e["request_id"] for e in _logged(moderation, ANSWER_ENTRY_TYPE)] == [str(received.id)]
    with moderation.db.read() as conn:
        (case,) = conn.execute(moderation_cases.select()).all()
    assert case.state == "open"
    with pytest.raises(InvalidRequestError, match="reasons"):
        moderation.requests.answer(received.id, moderator.id, " ")


# The public view ---------------------------------------------------------------------------


def test_the_post_receipt_lists_a_request_once_it_is_not_sealed(
    services: Services,
    moderation: Moderation,
    moderator: Account,
    posts: list[Post],
    clock: FixedClock,
) -> None:
    open_one = moderation.requests.receive(_draft(PostTarget(posts[0].id)), logged_by=moderator.id)
    draft = _draft(PostTarget(posts[1].id), release_at=MIDNIGHT + timedelta(days=1))
    moderation.requests.receive(draft, logged_by=moderator.id)
    moderation.requests.withdraw(open_one.id, moderator.id, "Withdrawn by letter.")
    services.ledger.integrate()

    assert len(moderation.receipt_for_post(posts[0].id)) == 2  # intake and answer
    assert moderation.receipt_for_post(posts[1].id) == []
    clock.advance(MIDNIGHT + timedelta(days=1) - START)
    assert len(moderation.receipt_for_post(posts[1].id)) == 1


def test_the_numbers_count_requesters_and_outcomes_but_only_sealed_ones_as_sealed(
    moderation: Moderation, moderator: Account, posts: list[Post]
) -> None:
    first = moderation.requests.receive(_draft(PostTarget(posts[0].id)), logged_by=moderator.id)
    court = _draft(
        PostTarget(posts[1].id),
        requester_kind=RequesterKind.COURT,
        release_at=MIDNIGHT + timedelta(days=9),
    )
    moderation.requests.receive(court, logged_by=moderator.id)
    moderation.requests.withdraw(first.id, moderator.id, "Withdrawn.")

    numbers = request_numbers(moderation.requests.published_all())
    assert numbers.total == 2
    assert numbers.sealed == 1
    assert numbers.by_requester == ((RequesterKind.GOVERNMENT, (("withdrawn", 1),)),)
    assert numbers.by_country == (("FR", 1),)


# Checking the logged entries, as a verifier does ----------------------------------------------


def _entries(moderation: Moderation) -> list[bytes]:
    with moderation.db.read() as conn:
        rows = conn.execute(ledger_pending.select().order_by(ledger_pending.c.id)).all()
    return [row.entry for row in rows]


def test_logged_entries_check_out_and_sealed_ones_wait_for_their_date(
    moderation: Moderation, moderator: Account, posts: list[Post]
) -> None:
    release = MIDNIGHT + timedelta(days=3)
    first = moderation.requests.receive(_draft(PostTarget(posts[0].id)), logged_by=moderator.id)
    sealed = _draft(PostTarget(posts[1].id), release_at=release)
    moderation.requests.receive(sealed, logged_by=moderator.id)
    moderation.requests.withdraw(first.id, moderator.id, "Withdrawn.")

    logged = check_request_entries(_entries(moderation))
    assert (logged.logged, logged.answered) == (2, 1)
    (waiting,) = logged.sealed
    assert (waiting.key, waiting.release_at) == ("details", release)
    assert logged.released_by(START) == ()
    assert logged.released_by(release) == (waiting,)


def test_an_answer_to_a_request_never_logged_or_answered_twice_fails(
    moderation: Moderation, moderator: Account, posts: list[Post]
) -> None:
    received = moderation.requests.receive(_draft(PostTarget(posts[0].id)), logged_by=moderator.id)
    moderation.requests.withdraw(received.id, moderator.id, "Withdrawn.")
    intake, answer = (
        e for e in _entries(moderation) if decode_entry(e).type.startswith("moderation.request")
    )
    with pytest.raises(MalformedRequestEntryError, match="was never logged"):
        check_request_entries([answer])
    with pytest.raises(MalformedRequestEntryError, match="answered twice"):
        check_request_entries([intake, answer, answer])
    with pytest.raises(MalformedRequestEntryError, match="logged twice"):
        check_request_entries([intake, intake])


def test_a_released_body_that_differs_from_the_commitment_fails(
    moderation: Moderation, moderator: Account, posts: list[Post]
) -> None:
    draft = _draft(PostTarget(posts[0].id), release_at=MIDNIGHT + timedelta(days=1))
    sealed = moderation.requests.receive(draft, logged_by=moderator.id)
    (waiting,) = check_request_entries(_entries(moderation)).sealed
    details = request_details(sealed.draft)
    check_released(waiting, details, sealed.nonce)  # matches: no error
    with pytest.raises(MalformedRequestEntryError, match="but the ledger committed to"):
        check_released(waiting, {**details, "summary": "Something else."}, sealed.nonce)


def test_the_authors_notice_names_the_request_once_it_is_not_sealed(
    moderation: Moderation,
    moderator: Account,
    author: Account,
    posts: list[Post],
    clock: FixedClock,
) -> None:
    open_one = moderation.requests.receive(_draft(PostTarget(posts[0].id)), logged_by=moderator.id)
    sealed_draft = _draft(PostTarget(posts[1].id), release_at=MIDNIGHT + timedelta(days=2))
    sealed = moderation.requests.receive(sealed_draft, logged_by=moderator.id)
    for received in (open_one, sealed):
        _decide(moderation, received.items[0].case_id, moderator, ActionKind.REMOVE)

    older, newer = reversed(moderation.notices.for_account(author.id))
    assert older.outside_requests == (open_one.id,)
    assert newer.outside_requests == ()  # a sealed request is not named, even to the author
    clock.advance(MIDNIGHT + timedelta(days=2) - START)
    assert moderation.notices.for_account(author.id)[0].outside_requests == (sealed.id,)


# Where the decision came from, as the DSA-TDB calls it -------------------------------------------


def _source_of_decision(moderation: Moderation, case_id: int, moderator: Account) -> object:
    _decide(moderation, case_id, moderator, ActionKind.REMOVE)
    (entry,) = [
        e for e in _logged(moderation, "moderation.decision") if e["case_id"] == str(case_id)
    ]
    return entry["source_type"]


@pytest.mark.parametrize(
    ("kind", "reported", "source"),
    [
        (RequesterKind.GOVERNMENT, False, "SOURCE_TYPE_OTHER_NOTIFICATION"),  # an Art. 9 order
        (RequesterKind.COURT, True, "SOURCE_ARTICLE_16"),  # a member's report too
        (RequesterKind.TRUSTED_FLAGGER, True, "SOURCE_TRUSTED_FLAGGER"),
    ],
)
def test_a_decision_names_the_kind_of_notice_it_followed(
    moderation: Moderation,
    moderator: Account,
    posts: list[Post],
    make_account: AccountFactory,
    kind: RequesterKind,
    reported: bool,
    source: str,
) -> None:
    target = PostTarget(posts[0].id)
    if reported:
        moderation.cases.report(ReportDraft(make_account("reporter").id, target))
    received = moderation.requests.receive(
        _draft(target, requester_kind=kind), logged_by=moderator.id
    )
    assert _source_of_decision(moderation, received.items[0].case_id, moderator) == source
