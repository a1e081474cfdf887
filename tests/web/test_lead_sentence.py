"""The sentence a "why?" receipt and a public case page open with, in English and French:
what happened, under which rule, who decided, and what came of an appeal."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from townsquare.ledger import JSON
from townsquare.moderation import ActionKind, AppealState, CaseOutcome
from townsquare.web._i18n import catalogs
from townsquare.web._lead import (
    AppealResult,
    Decider,
    Lead,
    lead_from_entries,
    lead_from_outcome,
    lead_sentence,
)
from townsquare.web._visitors import Visitor

REMOVED = Lead(ActionKind.REMOVE, "civility/2@1", "Harassment", Decider.MODERATOR)


def _in(language: str) -> Visitor:
    return Visitor(None, None, language, catalogs()[language])


@pytest.mark.parametrize(
    ("lead", "english", "french"),
    [
        (
            REMOVED,
            "This post was removed under the rule “Harassment” (civility/2@1); "
            "a moderator decided it; no appeal against it has been decided.",
            "Ce message a été retiré au titre de la règle « Harassment » (civility/2@1) ; "
            "un modérateur en a décidé ; aucun recours contre cette décision n’a été tranché.",
        ),
        (
            replace(REMOVED, action=ActionKind.LABEL),
            "This post was given a label under the rule “Harassment” (civility/2@1); "
            "a moderator decided it;",
            "Ce message a reçu une étiquette au titre de la règle « Harassment »",
        ),
        (
            replace(REMOVED, action=ActionKind.NO_ACTION),
            "The moderators found no reason to act on this post under the rule “Harassment”",
            "Les modérateurs n’ont trouvé aucune raison d’agir sur ce message",
        ),
        (
            replace(REMOVED, appeal=AppealResult.REVERSED),
            "; on appeal, another moderator reversed it, and it is no longer in force.",
            " ; sur recours, un autre modérateur l’a annulée, et elle ne s’applique plus.",
        ),
        (
            replace(REMOVED, appeal=AppealResult.UPHELD),
            "; on appeal, another moderator upheld it.",
            " ; sur recours, un autre modérateur l’a confirmée.",
        ),
        (
            replace(REMOVED, decider=Decider.AUTOMATED),
            "; an automated rule decided it;",
            " ; une règle automatique en a décidé ;",
        ),
        (
            replace(REMOVED, decider=Decider.AUTOMATED, automated_rule="malicious-links@1"),
            "; the automated rule malicious-links@1 decided it, under the server’s account "
            "for automated rules;",
            " ; la règle automatique malicious-links@1 en a décidé, sous le compte du serveur "
            "réservé aux règles automatiques ;",
        ),
        (
            replace(REMOVED, decider=Decider.TWO_MODERATORS, moderators=("mod-1a", "mod-2b")),
            "; two moderators (mod-1a and mod-2b) decided it, as an election window requires;",
            " ; deux modérateurs (mod-1a et mod-2b) en ont décidé, comme l’exige une période "
            "électorale ;",
        ),
        (
            replace(REMOVED, action=ActionKind.SUSPEND, on_account=True),
            "This account was suspended under the rule “Harassment” (civility/2@1);",
            "Ce compte a été suspendu au titre de la règle « Harassment » (civility/2@1) ;",
        ),
    ],
)
def test_the_lead_sentence_in_both_languages(lead: Lead, english: str, french: str) -> None:
    assert english in lead_sentence(lead, _in("en"))
    assert french in lead_sentence(lead, _in("fr"))


def test_after_a_reversal_nothing_is_in_force() -> None:
    assert REMOVED.in_force == ActionKind.REMOVE
    assert replace(REMOVED, appeal=AppealResult.REVERSED).in_force == ActionKind.NO_ACTION
    assert replace(REMOVED, appeal=AppealResult.UPHELD).in_force == ActionKind.REMOVE


DECISION: dict[str, JSON] = {
    "action": "remove",
    "clause": "civility/2@1",
    "target": {"kind": "post", "id": "7"},
    "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
    "second_moderator_approval": False,
}


def test_the_lead_is_read_from_the_ledger_entries() -> None:
    assert lead_from_entries(DECISION, None, "Harassment") == REMOVED
    reversed_ = lead_from_entries(DECISION, {"outcome": "reversed"}, "Harassment")
    assert reversed_.appeal == AppealResult.REVERSED
    pending = lead_from_entries(DECISION, {"outcome": "filed"}, "Harassment")
    assert pending.appeal == AppealResult.NONE
    automated = {**DECISION, "automated_decision": "AUTOMATED_DECISION_FULLY"}
    by_rule = lead_from_entries(automated, None, "Harassment", ("mod-1a",))
    assert (by_rule.decider, by_rule.moderators) == (Decider.AUTOMATED, ())
    assert by_rule.automated_rule is None  # a version 3 statement names no rule
    named = lead_from_entries({**automated, "rule": "malicious-links@1"}, None, "Harassment")
    assert named.automated_rule == "malicious-links@1"
    by_hand = lead_from_entries({**DECISION, "rule": "link-spam@1"}, None, "Harassment")
    assert by_hand.automated_rule is None  # a moderator decided a case a rule opened
    two = {**DECISION, "second_moderator_approval": True}
    assert lead_from_entries(two, None, "Harassment").decider == Decider.TWO_MODERATORS
    on_account = {**DECISION, "action": "suspend", "target": {"kind": "account", "id": "3"}}
    assert lead_from_entries(on_account, None, "Harassment").on_account


OUTCOME = CaseOutcome(
    case_id=1,
    action_id=2,
    decided=ActionKind.REMOVE,
    decided_at=datetime(2026, 12, 4, tzinfo=UTC),
    clause="civility/2@1",
    clause_title={"en": "Harassment", "fr": "Harcèlement"},
    facts="",
    on_account=False,
    automated=False,
    two_moderators=False,
    appeal=None,
    reversed=False,
    upheld=False,
    appeal_reasons=None,
    in_force=ActionKind.REMOVE,
    lifted_by=None,
    ends_at=None,
)


def test_the_lead_is_read_from_a_case_outcome() -> None:
    assert lead_from_outcome(OUTCOME, "Harassment") == REMOVED
    reversed_ = replace(OUTCOME, appeal=AppealState.REVERSED, reversed=True, in_force=None)
    assert lead_from_outcome(reversed_, "Harassment").appeal == AppealResult.REVERSED
    upheld = replace(OUTCOME, appeal=AppealState.UPHELD, upheld=True)
    assert lead_from_outcome(upheld, "Harassment").appeal == AppealResult.UPHELD
    pending = replace(OUTCOME, appeal=AppealState.FILED)
    assert lead_from_outcome(pending, "Harassment").appeal == AppealResult.NONE
    by_rule = lead_from_outcome(replace(OUTCOME, automated=True), "Harassment", ("mod-1a",))
    assert (by_rule.decider, by_rule.moderators) == (Decider.AUTOMATED, ())
    two = lead_from_outcome(replace(OUTCOME, two_moderators=True), "Harassment", ("a", "b"))
    assert (two.decider, two.moderators) == (Decider.TWO_MODERATORS, ("a", "b"))
    suspended = replace(OUTCOME, decided=ActionKind.SUSPEND, on_account=True)
    assert lead_from_outcome(suspended, "Harassment").on_account
