"""`ExternalRequests`: outside requests as stored, the handlers of their state machine
(`_requests.TRANSITIONS`), and their public view.

A request never changes what anyone sees by itself: its items join their cases, and only
the cases' decisions — through `enforce` — restrict anything. What the request adds is the
record: who asked for what, and what it led to, in the ledger from the day it arrived.

A sealed request must not be paired with its items by what the public sees. So (1) request
ids are random, not time-sortable snowflakes: no request id sits next to a case id; (2) a
sealed request's public times are its days (`day_of`); (3) a case that a sealed request
opens is opened at a random moment of that day, after its item existed, with the id of that
moment, so neither its id nor its opening time points at the request's arrival. What is
still visible is written down in docs/design/outside-requests.md.
"""

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from townsquare.kernel import LARGEST_ID, Clock, FixedClock, SnowflakeGenerator
from townsquare.ledger import leaf_hash
from townsquare.moderation._decisions import AccountTarget, PostTarget
from townsquare.moderation._entry_log import EntryLog
from townsquare.moderation._policies import ActionKind, Ground
from townsquare.moderation._reports import SEVERITY, ReportCategory, author_of, join_or_open_case
from townsquare.moderation._requests import (
    NONCE_BYTES,
    ExternalRequest,
    IllegalRequestTransitionError,
    InvalidRequestError,
    ItemResult,
    RequestAnswer,
    RequestDraft,
    RequesterKind,
    RequestItem,
    RequestNotFoundError,
    RequestOutcome,
    RequestState,
    answer_entry,
    commitment,
    day_of,
    intake_entry,
    new_request,
    next_state,
    outcome_of,
    request_details,
)
from townsquare.moderation._roles import require_moderator
from townsquare.storage import Database
from townsquare.storage.tables import (
    accounts,
    external_request_items,
    external_requests,
    ledger_entries,
    moderation_cases,
    posts,
)

__all__ = ["ExternalRequests", "PublishedRequest", "RequestNumbers", "request_numbers"]

_MAX_REASONS = 5000
# An outside request is as urgent as a report of illegal content.
_SEVERITY = SEVERITY[ReportCategory.LEGAL]
_requests = external_requests
_items = external_request_items


def random_request_id() -> int:
    """A request id drawn at random: unlike a snowflake it says nothing of when the request
    arrived, so nobody can tell which case it sits next to."""
    return secrets.randbelow(LARGEST_ID) + 1


def random_moment(earliest: datetime, latest: datetime) -> datetime:
    """A moment drawn uniformly between `earliest` and `latest`, to the microsecond."""
    span = max((latest - earliest) // timedelta(microseconds=1), 0)
    return earliest + timedelta(microseconds=secrets.randbelow(span + 1))


@dataclass(frozen=True)
class PublishedRequest:
    """A request as everyone sees it. While sealed, `request` is None: only that it
    exists, when it arrived, when it will be released, and what its entries commit to.
    `intake_index` and `answer_index` are its entries' places in the ledger (None until
    integrated)."""

    id: int
    state: RequestState
    received_at: datetime
    release_at: datetime | None
    answered_at: datetime | None
    commitment: str
    intake_index: int | None
    answer_index: int | None
    request: ExternalRequest | None

    @property
    def sealed(self) -> bool:
        return self.request is None


@dataclass(frozen=True)
class RequestNumbers:
    """Santa Clara 2.0's state-actor numbers: requests per kind of requester and per
    issuing country, by outcome (None: not answered yet), over the requests not sealed;
    and how many are sealed."""

    sealed: int
    by_requester: tuple[tuple[RequesterKind, tuple[tuple[str, int], ...]], ...]
    by_country: tuple[tuple[str, int], ...]
    total: int


def request_numbers(requests: Iterable[PublishedRequest]) -> RequestNumbers:
    """The numbers over `requests` (pure)."""
    sealed = 0
    kinds: dict[RequesterKind, dict[str, int]] = {}
    countries: dict[str, int] = {}
    total = 0
    for published in requests:
        total += 1
        if published.request is None:
            sealed += 1
            continue
        draft = published.request.draft
        answer = published.request.answer
        outcome = answer.outcome.value if answer else "pending"
        tally = kinds.setdefault(draft.requester_kind, {})
        tally[outcome] = tally.get(outcome, 0) + 1
        country = draft.country or "—"
        countries[country] = countries.get(country, 0) + 1
    by_requester = tuple(
        (kind, tuple(sorted(tally.items()))) for kind, tally in sorted(kinds.items())
    )
    return RequestNumbers(sealed, by_requester, tuple(sorted(countries.items())), total)


class ExternalRequests:
    """Log, answer and withdraw outside requests; read them, sealed or not.

    `log` MUST be the ledger `enforce` writes; `nonces` returns a fresh random hex nonce
    per request, `request_ids` a fresh random id, and `moments(earliest, latest)` a random
    moment between the two (parameters so tests can fix them)."""

    def __init__(
        self,
        db: Database,
        log: EntryLog,
        *,
        clock: Clock,
        ids: SnowflakeGenerator,
        nonces: Callable[[], str] = lambda: secrets.token_hex(NONCE_BYTES),
        request_ids: Callable[[], int] = random_request_id,
        moments: Callable[[datetime, datetime], datetime] = random_moment,
    ) -> None:
        self._db = db
        self._log = log
        self._clock = clock
        self._ids = ids
        self._nonces = nonces
        self._request_ids = request_ids
        self._moments = moments

    # Handlers ----------------------------------------------------------------------------

    def receive(self, draft: RequestDraft, *, logged_by: int | None) -> ExternalRequest:
        """Log a request as it arrives, in ONE transaction:

        (1) a moderator or admin logs it (`logged_by`; None is the operator at the command
            line), checked by `new_request`;
        (2) each item joins its open case, or opens one, as urgent as a legal report (a
            sealed request's at a random moment of the day: `_case_for`);
        (3) the request, under a random id, its items and its intake ledger entry (sealed
            or not) are written.
        """
        try:
            return self._receive(draft, logged_by)
        except IntegrityError:
            # Another report opened one of the items' cases meanwhile: join it.
            return self._receive(draft, logged_by)

    def _receive(self, draft: RequestDraft, logged_by: int | None) -> ExternalRequest:
        now = self._clock.now()
        with self._db.write() as conn:
            # (1)
            if logged_by is not None:
                require_moderator(conn, logged_by, to="to log an outside request")
            draft = new_request(draft, now)
            # (2)
            sealed = draft.release_at is not None
            results = tuple(
                ItemResult(item, self._case_for(conn, now, item, sealed)) for item in draft.items
            )
            # (3)
            nonce = self._nonces()
            promised = commitment("details", request_details(draft), nonce)
            request = ExternalRequest(
                self._request_ids(), draft, RequestState.RECEIVED, now, nonce, promised, results
            )
            entry = intake_entry(request)
            conn.execute(insert(_requests), _row(request, logged_by, leaf_hash(entry)))
            rows = [_item_row(request.id, i, result) for i, result in enumerate(results)]
            conn.execute(insert(_items), rows)
            self._log.append(conn, entry)
        return request

    def _case_for(self, conn: Connection, now: datetime, item: RequestItem, sealed: bool) -> int:
        """The item's open case, or a new one. For a sealed request the new case is opened
        at a random moment between the start of the day (or the item's creation, if later)
        and now, and takes that moment's id: its id and its opening time, both public once
        it is decided, say nothing more precise than the day the request arrived."""
        author = author_of(conn, item)
        if not sealed:
            return join_or_open_case(conn, self._ids, now, item, author, _SEVERITY)
        earliest = min(max(day_of(now), _created_at(conn, item)), now)
        opened = self._moments(earliest, now)
        ids = SnowflakeGenerator(FixedClock(opened))
        return join_or_open_case(conn, ids, opened, item, author, _SEVERITY)

    def answer(self, request_id: int, moderator_id: int, reasons: str) -> ExternalRequest:
        """received → answered, by a moderator, once every item's case is decided: the
        outcome follows from what the cases decided (`outcome_of`); the answer, the actions
        it links and its ledger entry are written in one transaction."""
        return self._close(request_id, moderator_id, reasons, RequestState.ANSWERED)

    def withdraw(self, request_id: int, moderator_id: int, reasons: str) -> ExternalRequest:
        """received → withdrawn: the requester took the request back (the items' cases go
        on, to be decided on their own merits)."""
        return self._close(request_id, moderator_id, reasons, RequestState.WITHDRAWN)

    def _close(
        self, request_id: int, moderator_id: int, reasons: str, state: RequestState
    ) -> ExternalRequest:
        reasons = reasons.strip()
        if not 0 < len(reasons) <= _MAX_REASONS:
            raise InvalidRequestError(f"reasons: expected 1 to {_MAX_REASONS} characters")
        now = self._clock.now()
        with self._db.write() as conn:
            require_moderator(conn, moderator_id, to="to answer an outside request")
            request = _load(conn, request_id)
            next_state(request.state, state)
            outcome = (
                outcome_of(request.items)
                if state == RequestState.ANSWERED
                else RequestOutcome.WITHDRAWN
            )
            answer = RequestAnswer(outcome, reasons, now, request.items)
            entry = answer_entry(request, answer)
            _record_answer(conn, request, state, answer, moderator_id, leaf_hash(entry))
            self._log.append(conn, entry)
            return _load(conn, request_id)

    # Reading -----------------------------------------------------------------------------

    def is_sealed(self, request: ExternalRequest) -> bool:
        """Whether the request's details are still secret now, by the service's clock."""
        return request.is_sealed(self._clock.now())

    def get(self, request_id: int, moderator_id: int) -> ExternalRequest:
        """The whole request, sealed or not, for a moderator or admin."""
        with self._db.read() as conn:
            require_moderator(conn, moderator_id)
            return _load(conn, request_id)

    def all(self, moderator_id: int) -> list[ExternalRequest]:
        """Every request, newest first, whole, for a moderator or admin."""
        with self._db.read() as conn:
            require_moderator(conn, moderator_id)
            return [_load(conn, rid) for rid in _ids_newest_first(conn)]

    def for_case(self, case_id: int, moderator_id: int) -> list[ExternalRequest]:
        """The requests that named the case's item, whole, sealed or not (the moderators'
        case page), for a moderator or admin."""
        query = select(_items.c.request_id).where(_items.c.case_id == case_id).distinct()
        with self._db.read() as conn:
            require_moderator(conn, moderator_id)
            return [_load(conn, rid) for rid in sorted(conn.execute(query).scalars())]

    def published(self, request_id: int) -> PublishedRequest:
        """The request as the public may see it now (sealed: its commitments only)."""
        with self._db.read() as conn:
            return self._published(conn, _load(conn, request_id))

    def published_all(self) -> list[PublishedRequest]:
        """Every request as the public may see it now, newest first by what the public
        sees (a sealed request among those of its day by its random id, not its time)."""
        with self._db.read() as conn:
            shown = [self._published(conn, _load(conn, rid)) for rid in _ids_newest_first(conn)]
        return sorted(shown, key=lambda found: (found.received_at, found.id), reverse=True)

    def published_for_case(self, case_id: int) -> list[PublishedRequest]:
        """The requests about a case's item that are not sealed (its public page)."""
        with self._db.read() as conn:
            ids = unsealed_requests_for_case(conn, case_id, self._clock.now())
            return [self._published(conn, _load(conn, rid)) for rid in ids]

    def _published(self, conn: Connection, request: ExternalRequest) -> PublishedRequest:
        hashes = conn.execute(
            select(_requests.c.intake_leaf_hash, _requests.c.answer_leaf_hash).where(
                _requests.c.id == request.id
            )
        ).one()
        sealed = request.is_sealed(self._clock.now())
        answered_at = request.answer.answered_at if request.answer else None
        if sealed:
            answered_at = None if answered_at is None else day_of(answered_at)
        return PublishedRequest(
            id=request.id,
            state=request.state,
            received_at=day_of(request.received_at) if sealed else request.received_at,
            release_at=request.draft.release_at,
            answered_at=answered_at,
            commitment=request.commitment,
            intake_index=_index_of(conn, hashes.intake_leaf_hash),
            answer_index=_index_of(conn, hashes.answer_leaf_hash),
            request=None if sealed else request,
        )


def unsealed_request_leaves(conn: Connection, post_id: int, now: datetime) -> list[bytes]:
    """The leaf hashes of the entries of requests that named the post and are not sealed
    at `now` (for its "why?" receipt)."""
    query = (
        select(_requests.c.intake_leaf_hash, _requests.c.answer_leaf_hash, _requests.c.release_at)
        .join(_items, _items.c.request_id == _requests.c.id)
        .where(_items.c.post_id == post_id)
    )
    leaves: list[bytes] = []
    for row in conn.execute(query):
        if row.release_at is None or row.release_at <= now:
            leaves += [h for h in (row.intake_leaf_hash, row.answer_leaf_hash) if h is not None]
    return leaves


def unsealed_requests_for_case(conn: Connection, case_id: int, now: datetime) -> tuple[int, ...]:
    """The ids of the requests that named the case's item and are not sealed at `now`."""
    query = (
        select(_requests.c.id, _requests.c.release_at)
        .join(_items, _items.c.request_id == _requests.c.id)
        .where(_items.c.case_id == case_id)
        .distinct()
        .order_by(_requests.c.id)
    )
    return tuple(
        row.id for row in conn.execute(query) if row.release_at is None or row.release_at <= now
    )


def _index_of(conn: Connection, leaf: bytes | None) -> int | None:
    if leaf is None:
        return None
    query = select(ledger_entries.c.idx).where(ledger_entries.c.leaf_hash == leaf)
    found = conn.execute(query).scalar()
    return None if found is None else int(found)


def _ids_newest_first(conn: Connection) -> Sequence[int]:
    newest_first = (_requests.c.received_at.desc(), _requests.c.id.desc())
    return conn.execute(select(_requests.c.id).order_by(*newest_first)).scalars().all()


def _created_at(conn: Connection, item: RequestItem) -> datetime:
    """When the item came to exist (a case about it cannot have opened before)."""
    if isinstance(item, PostTarget):
        query = select(posts.c.created_at).where(posts.c.id == item.post_id)
    else:
        query = select(accounts.c.created_at).where(accounts.c.id == item.account_id)
    found: datetime = conn.execute(query).scalar_one()
    return found


def _record_answer(
    conn: Connection,
    request: ExternalRequest,
    state: RequestState,
    answer: RequestAnswer,
    moderator_id: int,
    leaf: bytes,
) -> None:
    """Write the move, guarded on the state read: a concurrent answer makes this one fail."""
    moved = conn.execute(
        update(_requests)
        .where(_requests.c.id == request.id, _requests.c.state == request.state.value)
        .values(
            state=state.value,
            outcome=answer.outcome.value,
            reasons=answer.reasons,
            answered_at=answer.answered_at,
            answered_by=moderator_id,
            answer_leaf_hash=leaf,
        )
    )
    if moved.rowcount != 1:
        raise IllegalRequestTransitionError(
            f"outside request {request.id}: it was closed while this was written"
        )
    for position, result in enumerate(answer.items):
        conn.execute(
            update(_items)
            .where(_items.c.request_id == request.id, _items.c.position == position)
            .values(action_id=result.action_id)
        )


def _row(request: ExternalRequest, logged_by: int | None, leaf: bytes) -> dict[str, object]:
    draft = request.draft
    return {
        "id": request.id,
        "requester_kind": draft.requester_kind.value,
        "requester": draft.requester,
        "country": draft.country,
        "legal_basis": draft.legal_basis,
        "ground": draft.ground.value,
        "requested_action": draft.requested_action.value,
        "summary": draft.summary,
        "release_at": draft.release_at,
        "received_at": request.received_at,
        "logged_by": logged_by,
        "nonce": request.nonce,
        "commitment": request.commitment,
        "state": request.state.value,
        "intake_leaf_hash": leaf,
    }


def _item_row(request_id: int, position: int, result: ItemResult) -> dict[str, object]:
    post = isinstance(result.item, PostTarget)
    return {
        "request_id": request_id,
        "position": position,
        "target_kind": "post" if post else "account",
        "post_id": result.item.post_id if isinstance(result.item, PostTarget) else None,
        "account_id": result.item.account_id if isinstance(result.item, AccountTarget) else None,
        "case_id": result.case_id,
    }


def _load(conn: Connection, request_id: int) -> ExternalRequest:
    row = conn.execute(select(_requests).where(_requests.c.id == request_id)).first()
    if row is None:
        raise RequestNotFoundError(f"outside request {request_id}: no such request")
    results = _results(conn, request_id)
    draft = RequestDraft(
        requester_kind=RequesterKind(row.requester_kind),
        requester=row.requester,
        legal_basis=row.legal_basis,
        ground=Ground(row.ground),
        requested_action=ActionKind(row.requested_action),
        items=tuple(r.item for r in results),
        summary=row.summary,
        country=row.country,
        release_at=row.release_at,
    )
    request = ExternalRequest(
        row.id, draft, RequestState(row.state), row.received_at, row.nonce, row.commitment, results
    )
    if row.outcome is None:
        return request
    answer = RequestAnswer(RequestOutcome(row.outcome), row.reasons, row.answered_at, results)
    return replace(request, answer=answer)


def _results(conn: Connection, request_id: int) -> tuple[ItemResult, ...]:
    """Each item with its case's decision: once answered, the action the answer linked;
    before, whatever the case has decided so far."""
    query = (
        select(_items, moderation_cases.c.outcome, moderation_cases.c.action_id.label("decided"))
        .join(moderation_cases, moderation_cases.c.id == _items.c.case_id)
        .where(_items.c.request_id == request_id)
        .order_by(_items.c.position)
    )
    return tuple(_result(row) for row in conn.execute(query))


def _result(row: Row[tuple[object, ...]]) -> ItemResult:
    data = row._mapping
    item: RequestItem = (
        PostTarget(data["post_id"])
        if data["target_kind"] == "post"
        else AccountTarget(data["account_id"])
    )
    action_id = data["action_id"] if data["action_id"] is not None else data["decided"]
    action = ActionKind(data["outcome"]) if data["outcome"] else None
    return ItemResult(item, data["case_id"], action, action_id)
