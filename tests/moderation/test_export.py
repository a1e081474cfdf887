"""The DSA statements-of-reasons export: DSA-TDB field names and enum keys exactly, only
restricting decisions, and a validator that refuses what the DSA-TDB would."""

import io
import json
from typing import Any

import pytest

from conftest import AccountFactory, PostFactory
from moderation.conftest import Decide
from townsquare.moderation import (
    AccountTarget,
    ActionKind,
    InvalidStatementError,
    Moderation,
    PostTarget,
    UrlTarget,
    validate_statement,
    write_statements,
)
from townsquare.moderation._export import EEA_COUNTRIES


def _statements(moderation: Moderation) -> list[dict[str, Any]]:
    return moderation.statements.all()


@pytest.fixture
def removed(
    moderation: Moderation, decide: Decide, make_account: AccountFactory, make_post: PostFactory
) -> dict[str, Any]:
    post = make_post(make_account("author"), "a removed post")
    action = moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id)))
    (statement,) = _statements(moderation)
    assert statement["puid"] == f"townsquare-action-{action.id}"
    return statement


def test_a_removal_uses_the_dsa_tdb_field_names_and_keys(removed: dict[str, Any]) -> None:
    assert removed == {
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "incompatible_content_ground": "test-rules/1@3: Harassment",
        "incompatible_content_explanation": "The post insults another member by name.",
        "decision_facts": "The post insults another member by name.",
        "category": "STATEMENT_CATEGORY_CYBER_VIOLENCE",
        "category_specification": ["KEYWORD_OTHER"],
        "content_type": ["CONTENT_TYPE_TEXT"],
        "content_date": "2026-06-01",
        "territorial_scope": sorted(EEA_COUNTRIES),
        "application_date": "2026-06-01",
        "source_type": "SOURCE_VOLUNTARY",
        "automated_detection": "No",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "puid": removed["puid"],
    }


def test_no_action_warnings_and_restores_are_not_statements(
    moderation: Moderation, decide: Decide, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author = make_account("author")
    post = make_post(author, "a post")
    moderation.enforce(decide(ActionKind.NO_ACTION, PostTarget(post.id)))
    moderation.enforce(decide(ActionKind.WARN, AccountTarget(author.id)))
    assert _statements(moderation) == []
    removal = moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id)))
    moderation.enforce(decide(ActionKind.RESTORE, PostTarget(post.id), restores=removal.id))
    assert [s["puid"] for s in _statements(moderation)] == [f"townsquare-action-{removal.id}"]


def test_every_restricting_kind_exports_a_valid_statement(
    moderation: Moderation, decide: Decide, make_account: AccountFactory, make_post: PostFactory
) -> None:
    author = make_account("author")
    post = make_post(author, "a post")
    moderation.enforce(decide(ActionKind.LABEL, PostTarget(post.id), label="Disputed"))
    moderation.enforce(decide(ActionKind.INTERSTITIAL, PostTarget(post.id), content_warning="cw"))
    moderation.enforce(decide(ActionKind.REDUCE_REACH, PostTarget(post.id)))
    geo = ("DE", "FR", "US")
    moderation.enforce(decide(ActionKind.GEO_RESTRICT, PostTarget(post.id), territorial_scope=geo))
    moderation.enforce(decide(ActionKind.LIMIT, AccountTarget(author.id)))
    moderation.enforce(decide(ActionKind.SUSPEND, AccountTarget(author.id)))
    moderation.enforce(decide(ActionKind.BLOCK_URL, UrlTarget("scam.example")))
    statements = _statements(moderation)
    assert len(statements) == 7
    interstitial = statements[1]
    assert interstitial["decision_visibility"] == ["DECISION_VISIBILITY_OTHER"]
    assert interstitial["decision_visibility_other"]
    assert statements[3]["territorial_scope"] == ["DE", "FR"]
    assert statements[4]["decision_provision"] == "DECISION_PROVISION_PARTIAL_SUSPENSION"
    assert statements[5]["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
    assert statements[6]["content_date"] == statements[6]["application_date"]


def test_the_same_data_is_paged_newest_first(
    moderation: Moderation, decide: Decide, make_account: AccountFactory, make_post: PostFactory
) -> None:
    post = make_post(make_account("author"), "a post")
    ids = [moderation.enforce(decide(ActionKind.REDUCE_REACH, PostTarget(post.id))).id]
    ids.append(moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id))).id)
    first = moderation.statements.page(limit=1)
    assert [i for i, _ in first] == [ids[1]]
    assert [i for i, _ in moderation.statements.page(limit=5, max_id=ids[1])] == [ids[0]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"decision_visibility": None}, "at least one of"),
        ({"decision_visibility": ["CONTENT_REMOVED"]}, "decision_visibility: expected"),
        ({"decision_visibility": ["DECISION_VISIBILITY_OTHER"]}, "decision_visibility_other"),
        ({"decision_ground": "ILLEGAL"}, "decision_ground: expected"),
        ({"decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT"}, "illegal_content_legal_ground"),
        ({"incompatible_content_explanation": "x" * 2001}, "incompatible_content_explanation"),
        ({"decision_facts": None}, "decision_facts"),
        ({"category": "STATEMENT_CATEGORY_SPAM"}, "category: expected"),
        ({"content_type": []}, "content_type: expected"),
        ({"content_date": "1999-12-31"}, "content_date: expected"),
        ({"application_date": "01/06/2026"}, "application_date: expected"),
        ({"territorial_scope": ["US"]}, "territorial_scope: expected"),
        ({"source_type": "SOURCE_USER"}, "source_type: expected"),
        ({"source_identity": "Jane"}, "source_identity: expected no value"),
        ({"automated_detection": True}, "automated_detection: expected"),
        ({"automated_decision": "No"}, "automated_decision: expected"),
        ({"puid": "has spaces"}, "puid: expected"),
        ({"decisionVisibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"]}, "only DSA-TDB field"),
    ],
)
def test_the_validator_refuses_what_the_dsa_tdb_would(
    removed: dict[str, Any], change: dict[str, Any], message: str
) -> None:
    broken = {k: v for k, v in {**removed, **change}.items() if v is not None}
    with pytest.raises(InvalidStatementError, match=message):
        validate_statement(broken)


def test_nothing_is_written_when_one_statement_is_invalid(removed: dict[str, Any]) -> None:
    out = io.StringIO()
    with pytest.raises(InvalidStatementError):
        write_statements([removed, {**removed, "puid": "bad puid"}], out)
    assert out.getvalue() == ""
    assert write_statements([removed], out) == 1
    assert json.loads(out.getvalue()) == removed
