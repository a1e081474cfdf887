"""Who may write, rate and request notes: a decision with its reason, and the port that says
whether an account is in good standing.

Good standing is moderation's knowledge (its restrictions projection), and `notes` may not
import `moderation` (siblings in the layers). So `notes` declares `StandingPort`, moderation
implements it, and the application wires it, as the microblog's visibility port is wired.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal, Protocol

from sqlalchemy import Connection

__all__ = [
    "DEFAULT_MIN_ACCOUNT_AGE_DAYS",
    "Eligibility",
    "EligibilityRules",
    "EveryoneInGoodStanding",
    "IneligibleBecause",
    "Standing",
    "StandingPort",
    "eligibility",
]

# A week: long enough that an account made to push one note must wait past the news cycle it
# targets, short enough for a small community (the reference asks six months and a verified
# phone, which a self-hosted server cannot check).
DEFAULT_MIN_ACCOUNT_AGE_DAYS = 7


class Standing(StrEnum):
    """What moderation holds against an account right now."""

    GOOD = "good"
    LIMITED = "limited"  # a limit is in force on the account
    SUSPENDED = "suspended"  # a suspension is in force on the account


class StandingPort(Protocol):
    """The contract. `standing` MUST answer for any account id ("good" when nothing is held
    against it; a `Standing` value) and MUST NOT write to the database. It answers in plain
    words so that moderation can implement it without importing `notes`."""

    def standing(
        self, conn: Connection, account_id: int
    ) -> Literal["good", "limited", "suspended"]: ...


class EveryoneInGoodStanding:
    """A `StandingPort` for a server without moderation wired in (tools, some tests)."""

    def standing(
        self, conn: Connection, account_id: int
    ) -> Literal["good", "limited", "suspended"]:
        return "good"


class IneligibleBecause(StrEnum):
    """Why an account may not contribute notes yet."""

    ACCOUNT_TOO_NEW = "account_too_new"
    ACCOUNT_LIMITED = "account_limited"
    ACCOUNT_SUSPENDED = "account_suspended"


@dataclass(frozen=True)
class EligibilityRules:
    """The operator's rules (`Settings.notes_min_account_age_days`)."""

    min_account_age_days: int = DEFAULT_MIN_ACCOUNT_AGE_DAYS


@dataclass(frozen=True)
class Eligibility:
    """The decision: `because` is None when the account is eligible; `eligible_from` says when
    a too-new account becomes eligible (if nothing else stands in the way)."""

    because: IneligibleBecause | None
    eligible_from: datetime | None = None

    @property
    def eligible(self) -> bool:
        return self.because is None


def eligibility(
    *, created_at: datetime, standing: Standing, now: datetime, rules: EligibilityRules
) -> Eligibility:
    """May an account created at `created_at`, in `standing`, contribute at `now`?

    Standing comes first: a suspended or limited account is told so, not told to wait.
    """
    if standing is Standing.SUSPENDED:
        return Eligibility(IneligibleBecause.ACCOUNT_SUSPENDED)
    if standing is Standing.LIMITED:
        return Eligibility(IneligibleBecause.ACCOUNT_LIMITED)
    eligible_from = created_at + timedelta(days=rules.min_account_age_days)
    if now < eligible_from:
        return Eligibility(IneligibleBecause.ACCOUNT_TOO_NEW, eligible_from=eligible_from)
    return Eligibility(None)
