"""Checking the outside-request entries of a ledger, as a third party does (pure).

Every `moderation.request` and `moderation.request_answer` entry commits to its body. An
entry that shows its body must hash to its own commitment; one that does not (sealed) is
listed with its release date, so a verifier can fetch the body once it is released and
check it against the commitment made on the day the request arrived (`check_released`).
An answer must follow its request's intake, once, with the same release date.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from townsquare.ledger import JSON, decode_entry
from townsquare.moderation._policy_errors import ModerationError
from townsquare.moderation._requests import (
    ANSWER_ENTRY_TYPE,
    INTAKE_ENTRY_TYPE,
    REQUEST_ENTRY_VERSION,
    commitment,
)

__all__ = [
    "LoggedRequests",
    "MalformedRequestEntryError",
    "SealedEntry",
    "check_released",
    "check_request_entries",
]

_BODY_KEYS = {INTAKE_ENTRY_TYPE: "details", ANSWER_ENTRY_TYPE: "answer"}


class MalformedRequestEntryError(ModerationError):
    """Raised when a request entry does not match its own commitment, answers a request
    never logged, or a released body does not match what the ledger committed to."""


@dataclass(frozen=True)
class SealedEntry:
    """An entry logged sealed: which request, which body (`details` or `answer`), what it
    committed to, and when it is released."""

    index: int
    request_id: str
    key: str
    commitment: str
    release_at: datetime


@dataclass(frozen=True)
class LoggedRequests:
    logged: int
    answered: int
    sealed: tuple[SealedEntry, ...]

    def released_by(self, now: datetime) -> tuple[SealedEntry, ...]:
        """The sealed entries whose release date has come: their bodies must be public."""
        return tuple(entry for entry in self.sealed if entry.release_at <= now)


def check_request_entries(entries: Iterable[bytes]) -> LoggedRequests:
    """Check every request entry of `entries` (the log from its first entry, in order);
    `MalformedRequestEntryError` names the first that fails."""
    release_dates: dict[str, JSON] = {}
    answered: set[str] = set()
    sealed: list[SealedEntry] = []
    for index, data in enumerate(entries):
        entry = decode_entry(data)
        key = _BODY_KEYS.get(entry.type)
        if key is None or entry.version != REQUEST_ENTRY_VERSION:
            continue
        try:
            request_id, found = _checked(index, entry.type, key, entry.fields)
        except (KeyError, TypeError, ValueError) as error:
            raise _malformed(index, entry.type, f"unreadable field {error}") from None
        if entry.type == INTAKE_ENTRY_TYPE:
            if request_id in release_dates:
                raise _malformed(index, entry.type, f"request {request_id} is logged twice")
            release_dates[request_id] = entry.fields["release_at"]
        else:
            _check_answer(index, request_id, entry.fields, release_dates, answered)
        if found is not None:
            sealed.append(found)
    return LoggedRequests(len(release_dates), len(answered), tuple(sealed))


def check_released(sealed: SealedEntry, body: Mapping[str, JSON], nonce: str) -> None:
    """Raise `MalformedRequestEntryError` unless the released `body` and `nonce` hash to
    what the ledger committed to while the entry was sealed."""
    found = commitment(sealed.key, body, nonce)
    if found != sealed.commitment:
        raise MalformedRequestEntryError(
            f"ledger entry {sealed.index}: request {sealed.request_id}'s released {sealed.key} "
            f"hash to {found}, but the ledger committed to {sealed.commitment}"
        )


def _checked(
    index: int, type: str, key: str, fields: Mapping[str, JSON]
) -> tuple[str, SealedEntry | None]:
    request_id = fields["request_id"]
    promised = fields["commitment"]
    body = fields[key]
    if not isinstance(request_id, str) or not isinstance(promised, str):
        raise TypeError("request_id and commitment must be strings")
    if body is None:
        release_at = fields["release_at"]
        if not isinstance(release_at, str):
            raise _malformed(index, type, "sealed without a release date")
        sealed = SealedEntry(index, request_id, key, promised, datetime.fromisoformat(release_at))
        return request_id, sealed
    nonce = fields["nonce"]
    if not isinstance(body, Mapping) or not isinstance(nonce, str):
        raise TypeError(f"{key} must be an object and nonce a string")
    found = commitment(key, body, nonce)
    if found != promised:
        raise _malformed(index, type, f"its {key} hash to {found}, not to its commitment")
    return request_id, None


def _check_answer(
    index: int,
    request_id: str,
    fields: Mapping[str, JSON],
    release_dates: Mapping[str, JSON],
    answered: set[str],
) -> None:
    if request_id not in release_dates:
        raise _malformed(index, ANSWER_ENTRY_TYPE, f"request {request_id} was never logged")
    if request_id in answered:
        raise _malformed(index, ANSWER_ENTRY_TYPE, f"request {request_id} is answered twice")
    if fields["release_at"] != release_dates[request_id]:
        raise _malformed(index, ANSWER_ENTRY_TYPE, "its release date differs from the intake's")
    answered.add(request_id)


def _malformed(index: int, type: str, why: str) -> MalformedRequestEntryError:
    return MalformedRequestEntryError(f"ledger entry {index}: a {type} entry that fails: {why}")
