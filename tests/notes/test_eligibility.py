"""Who may contribute: account age and standing, as a decision with its reason."""

from datetime import UTC, datetime, timedelta

import pytest

from townsquare.notes import (
    EligibilityRules,
    EveryoneInGoodStanding,
    IneligibleBecause,
    Standing,
    eligibility,
)

NOW = datetime(2026, 6, 10, tzinfo=UTC)
RULES = EligibilityRules(min_account_age_days=7)


def test_an_account_older_than_the_minimum_in_good_standing_is_eligible() -> None:
    decision = eligibility(
        created_at=NOW - timedelta(days=7), standing=Standing.GOOD, now=NOW, rules=RULES
    )
    assert decision.eligible
    assert decision.because is None


def test_a_new_account_is_told_when_it_becomes_eligible() -> None:
    created = NOW - timedelta(days=6, hours=23)
    decision = eligibility(created_at=created, standing=Standing.GOOD, now=NOW, rules=RULES)
    assert not decision.eligible
    assert decision.because is IneligibleBecause.ACCOUNT_TOO_NEW
    assert decision.eligible_from == created + timedelta(days=7)


@pytest.mark.parametrize(
    ("standing", "because"),
    [
        (Standing.SUSPENDED, IneligibleBecause.ACCOUNT_SUSPENDED),
        (Standing.LIMITED, IneligibleBecause.ACCOUNT_LIMITED),
    ],
)
def test_an_account_not_in_good_standing_is_refused_whatever_its_age(
    standing: Standing, because: IneligibleBecause
) -> None:
    old = NOW - timedelta(days=900)
    decision = eligibility(created_at=old, standing=standing, now=NOW, rules=RULES)
    assert decision.because is because
    assert decision.eligible_from is None


def test_a_suspension_outranks_youth() -> None:
    decision = eligibility(created_at=NOW, standing=Standing.SUSPENDED, now=NOW, rules=RULES)
    assert decision.because is IneligibleBecause.ACCOUNT_SUSPENDED


def test_a_zero_day_minimum_lets_new_accounts_in() -> None:
    rules = EligibilityRules(min_account_age_days=0)
    assert eligibility(created_at=NOW, standing=Standing.GOOD, now=NOW, rules=rules).eligible


def test_without_moderation_everyone_is_in_good_standing() -> None:
    assert Standing(EveryoneInGoodStanding().standing(None, 1)) is Standing.GOOD  # type: ignore[arg-type]
