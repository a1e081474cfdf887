"""Outside requests (DESIGN.md, promise 4), as pure functions.

A government, a court, the police, a regulator, a trusted flagger or a rights holder asks us
to act on named items. Each request is logged when it arrives — who asked, on what legal
basis, for what, about which items — and each of its items joins that item's case, where
moderators decide as they decide any report (blind, through `enforce`, under the two-person
rule in an election window). The request is then answered: complied, partially complied or
declined, by what its items' cases decided; or withdrawn by whoever sent it.

    received ──answer──▶ answered
        │
        └──withdraw───▶ withdrawn

A sealed request (a court may forbid disclosure for a while) gets its release date at
intake, and the ledger commits to it then: the intake entry carries the SHA-256 of the
request's canonical details and a random nonce, and nothing else, until the release date.
After it, the details and the nonce are public and anyone can recompute the commitment
(`commitment`). The answer entry commits the same way, so neither can be altered before
release. The nonce keeps a guessable request ("post 42, by the prefecture") from being
confirmed by hashing guesses.

Sealing hides the request's *time* too: while it is sealed, its public times (in the
register and in its ledger entries) are only the day (`day_of`), so the public cannot pair
it with the case it opened or joined by equal timestamps (docs/design/outside-requests.md).
"""

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from townsquare.kernel import ConflictError, InvalidInputError, NotFoundError
from townsquare.ledger import JSON, canonical_json, encode_entry
from townsquare.moderation._decisions import AccountTarget, PostTarget
from townsquare.moderation._policies import ActionKind, Ground
from townsquare.moderation._policy_errors import ModerationError
from townsquare.moderation._projection import RESTRICTING_ACTIONS

__all__ = [
    "ANSWER_ENTRY_TYPE",
    "ASKABLE_ACTIONS",
    "INTAKE_ENTRY_TYPE",
    "MAX_ITEMS",
    "MAX_SEAL",
    "REQUEST_ENTRY_VERSION",
    "TRANSITIONS",
    "ExternalRequest",
    "IllegalRequestTransitionError",
    "InvalidRequestError",
    "ItemResult",
    "RequestAnswer",
    "RequestDraft",
    "RequestNotFoundError",
    "RequestNotReadyError",
    "RequestOutcome",
    "RequestState",
    "RequesterKind",
    "answer_entry",
    "answer_fields",
    "commitment",
    "day_of",
    "intake_entry",
    "new_request",
    "next_state",
    "outcome_of",
    "request_details",
]

INTAKE_ENTRY_TYPE = "moderation.request"
ANSWER_ENTRY_TYPE = "moderation.request_answer"
REQUEST_ENTRY_VERSION = 1
MAX_ITEMS = 50
MAX_SEAL = timedelta(days=3 * 366)
"""The longest a request stays sealed: secrecy has an end date, and it is never far away."""
NONCE_BYTES = 16
ASKABLE_ACTIONS = frozenset(ActionKind) - {ActionKind.RESTORE, ActionKind.NO_ACTION}
"""What a request may ask for: anything that restricts (restoring and "no action" are ours)."""

_COUNTRY = re.compile(r"[A-Z]{2}")
_MAX_REQUESTER = 200
_MAX_LEGAL_BASIS = 500
_MAX_TEXT = 5000


class RequesterKind(StrEnum):
    """Who asked (Santa Clara 2.0: "source of flag"; DSA Art. 9 orders come from the first
    three)."""

    COURT = "court"
    GOVERNMENT = "government"
    LAW_ENFORCEMENT = "law_enforcement"
    REGULATOR = "regulator"
    TRUSTED_FLAGGER = "trusted_flagger"
    RIGHTS_HOLDER = "rights_holder"
    OTHER = "other"


class RequestState(StrEnum):
    RECEIVED = "received"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"


class RequestOutcome(StrEnum):
    COMPLIED = "complied"  # every item was restricted
    PARTIALLY_COMPLIED = "partially_complied"  # some were
    DECLINED = "declined"  # none was
    WITHDRAWN = "withdrawn"  # the requester took it back before the answer


TRANSITIONS: Mapping[RequestState, frozenset[RequestState]] = MappingProxyType(
    {
        RequestState.RECEIVED: frozenset({RequestState.ANSWERED, RequestState.WITHDRAWN}),
        RequestState.ANSWERED: frozenset(),
        RequestState.WITHDRAWN: frozenset(),
    }
)
"""The only moves a request makes; the handlers are `ExternalRequests.answer` and
`ExternalRequests.withdraw`."""


class InvalidRequestError(ModerationError, InvalidInputError):
    """Raised when an outside request is incomplete or out of bounds (no items, a release
    date in the past or too far ahead, an unknown country code, …)."""


class RequestNotFoundError(ModerationError, NotFoundError):
    """Raised when no outside request has the id asked for."""


class IllegalRequestTransitionError(ModerationError, ConflictError):
    """Raised when a request is answered or withdrawn after it was already closed."""


class RequestNotReadyError(ModerationError, ConflictError):
    """Raised when a request is answered while one of its items' cases is undecided."""


RequestItem = PostTarget | AccountTarget


@dataclass(frozen=True)
class RequestDraft:
    """A request as it arrived: who (`requester_kind`, `requester`, the issuing `country` as
    ISO 3166 alpha-2, None for none), on what `legal_basis` and `ground`, asking for which
    action on which `items`, summarised in `summary` (no personal data: it is published).
    `release_at` seals it until then."""

    requester_kind: RequesterKind
    requester: str
    legal_basis: str
    ground: Ground
    requested_action: ActionKind
    items: tuple[RequestItem, ...]
    summary: str
    country: str | None = None
    release_at: datetime | None = None


@dataclass(frozen=True)
class ItemResult:
    """What an item's case decided: the action (None while undecided) and its id."""

    item: RequestItem
    case_id: int
    action: ActionKind | None = None
    action_id: int | None = None


@dataclass(frozen=True)
class RequestAnswer:
    outcome: RequestOutcome
    reasons: str
    answered_at: datetime
    items: tuple[ItemResult, ...]


@dataclass(frozen=True)
class ExternalRequest:
    """A logged request. `commitment` is what its intake entry commits to; `answer` is
    None until it is answered or withdrawn."""

    id: int
    draft: RequestDraft
    state: RequestState
    received_at: datetime
    nonce: str
    commitment: str
    items: tuple[ItemResult, ...]
    answer: RequestAnswer | None = None

    def is_sealed(self, at: datetime) -> bool:
        """Whether its details are still secret at `at`."""
        return self.draft.release_at is not None and at < self.draft.release_at


def day_of(moment: datetime) -> datetime:
    """The start (00:00 UTC) of `moment`'s day: how precisely a sealed request's times
    are public."""
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def next_state(current: RequestState, wanted: RequestState) -> RequestState:
    """`wanted`, if `TRANSITIONS` allows it from `current`; else the error says what would."""
    if wanted not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing (it is closed)"
        raise IllegalRequestTransitionError(
            f"request: a {current} request may become {allowed}, not {wanted}"
        )
    return wanted


def new_request(draft: RequestDraft, received_at: datetime) -> RequestDraft:
    """`draft` with its texts trimmed, its country upper-cased and its release date moved to
    the end of its day, or `InvalidRequestError` saying what is wrong."""
    requester = draft.requester.strip()
    _require(
        0 < len(requester) <= _MAX_REQUESTER,
        f"requester: expected 1 to {_MAX_REQUESTER} characters",
    )
    legal_basis = draft.legal_basis.strip()
    _require(
        0 < len(legal_basis) <= _MAX_LEGAL_BASIS,
        f"legal_basis: expected 1 to {_MAX_LEGAL_BASIS} characters (the law, order or clause)",
    )
    summary = draft.summary.strip()
    _require(0 < len(summary) <= _MAX_TEXT, f"summary: expected 1 to {_MAX_TEXT} characters")
    _require(
        draft.requested_action in ASKABLE_ACTIONS,
        f"requested_action: expected one of {', '.join(sorted(ASKABLE_ACTIONS))}",
    )
    _require(
        0 < len(draft.items) <= MAX_ITEMS, f"items: expected 1 to {MAX_ITEMS} posts or accounts"
    )
    _require(len(set(draft.items)) == len(draft.items), "items: each item is named once")
    country = draft.country.strip().upper() if draft.country else None
    _require(
        country is None or bool(_COUNTRY.fullmatch(country)),
        f"country: expected an ISO 3166 alpha-2 code, found {draft.country!r}",
    )
    _check_release(draft.release_at, received_at)
    release_at = None if draft.release_at is None else _end_of_day(draft.release_at)
    return RequestDraft(
        requester_kind=draft.requester_kind,
        requester=requester,
        legal_basis=legal_basis,
        ground=draft.ground,
        requested_action=draft.requested_action,
        items=draft.items,
        summary=summary,
        country=country,
        release_at=release_at,
    )


def _end_of_day(moment: datetime) -> datetime:
    """`moment` moved to the end of its day (the next 00:00 UTC), unless it is one already.
    A release date kept to the day is never earlier than asked, and, unlike "now + 30 days"
    to the second, does not tell when the request arrived."""
    start = day_of(moment)
    return start if start == moment else start + timedelta(days=1)


def _check_release(release_at: datetime | None, received_at: datetime) -> None:
    if release_at is None:
        return
    _require(release_at.tzinfo is not None, "release_at: expected an aware datetime")
    _require(release_at > received_at, "release_at: expected a date after now")
    _require(
        release_at - received_at <= MAX_SEAL,
        f"release_at: a request is sealed for at most {MAX_SEAL.days} days",
    )


def outcome_of(results: Iterable[ItemResult]) -> RequestOutcome:
    """Complied when every item's case restricted it, declined when none did, partially
    otherwise; `RequestNotReadyError` while a case is undecided (pure)."""
    results = tuple(results)
    waiting = [r for r in results if r.action is None]
    if waiting:
        named = ", ".join(f"case {r.case_id}" for r in waiting)
        raise RequestNotReadyError(f"request: decide its items' cases first ({named})")
    restricted = sum(r.action in RESTRICTING_ACTIONS for r in results)
    if restricted == len(results):
        return RequestOutcome.COMPLIED
    return RequestOutcome.DECLINED if restricted == 0 else RequestOutcome.PARTIALLY_COMPLIED


def request_details(draft: RequestDraft) -> dict[str, JSON]:
    """What the intake commits to and, once public, shows: ids as strings (pure)."""
    return {
        "requester_kind": draft.requester_kind.value,
        "requester": draft.requester,
        "country": draft.country,
        "legal_basis": draft.legal_basis,
        "ground": draft.ground.value,
        "requested_action": draft.requested_action.value,
        "summary": draft.summary,
        "items": [_item_ref(item) for item in draft.items],
    }


def answer_fields(answer: RequestAnswer) -> dict[str, JSON]:
    """What the answer commits to and, once public, shows (pure)."""
    return {
        "outcome": answer.outcome.value,
        "reasons": answer.reasons,
        "items": [
            {
                **_item_ref(result.item),
                "case_id": str(result.case_id),
                "action": result.action.value if result.action else None,
                "action_id": None if result.action_id is None else str(result.action_id),
            }
            for result in answer.items
        ],
    }


def commitment(key: str, body: Mapping[str, JSON], nonce: str) -> str:
    """SHA-256, in hex, of the canonical JSON `{key: body, "nonce": nonce}`: what a sealed
    entry commits to (`key` is "details" at intake, "answer" at the answer)."""
    return hashlib.sha256(canonical_json({key: dict(body), "nonce": nonce})).hexdigest()


def intake_entry(request: ExternalRequest) -> bytes:
    """The `moderation.request` entry logged when the request arrives: the details and
    nonce in clear unless it is sealed, the commitment always; sealed, only the day it
    arrived."""
    sealed = request.is_sealed(request.received_at)
    details = request_details(request.draft)
    received_at = day_of(request.received_at) if sealed else request.received_at
    fields: dict[str, JSON] = {
        "request_id": str(request.id),
        "received_at": received_at.isoformat(),
        **_sealing(request, "details", details, sealed),
    }
    return encode_entry(INTAKE_ENTRY_TYPE, REQUEST_ENTRY_VERSION, fields)


def answer_entry(request: ExternalRequest, answer: RequestAnswer) -> bytes:
    """The `moderation.request_answer` entry: sealed as the intake was, if it still is
    (and then dated by the day only)."""
    sealed = request.is_sealed(answer.answered_at)
    answered_at = day_of(answer.answered_at) if sealed else answer.answered_at
    fields: dict[str, JSON] = {
        "request_id": str(request.id),
        "answered_at": answered_at.isoformat(),
        **_sealing(request, "answer", answer_fields(answer), sealed),
    }
    return encode_entry(ANSWER_ENTRY_TYPE, REQUEST_ENTRY_VERSION, fields)


def _sealing(
    request: ExternalRequest, key: str, body: dict[str, JSON], sealed: bool
) -> dict[str, JSON]:
    release_at = request.draft.release_at
    return {
        "release_at": release_at.isoformat() if release_at else None,
        "commitment": commitment(key, body, request.nonce),
        key: None if sealed else body,
        "nonce": None if sealed else request.nonce,
    }


def _item_ref(item: RequestItem) -> dict[str, JSON]:
    if isinstance(item, PostTarget):
        return {"post_id": str(item.post_id)}
    return {"account_id": str(item.account_id)}


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidRequestError(f"outside request: {message}")
