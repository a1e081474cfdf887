"""Deliberation: redaction rules, pseudonym stability, publication with the decision."""

import pytest

from conftest import AccountFactory, PostFactory
from moderation.conftest import ANYTHING
from townsquare.microblog import Account, Role
from townsquare.moderation import (
    ActionKind,
    CaseDecision,
    CaseNotFoundError,
    IllegalTransitionError,
    Moderation,
    PostTarget,
    ReportDraft,
)
from townsquare.moderation._deliberation import author_pseudonym, moderator_pseudonym, redact

KEY = b"k" * 32


@pytest.mark.parametrize(
    ("written", "published"),
    [
        ("write to bob.smith+x@example.org now", "write to [e-mail redacted] now"),
        ("call +33 6 12 34 56 78", "call [phone redacted]"),
        ("or 555-123-4567.", "or [phone redacted]."),
        ("see post 114523456789012345", "see post 114523456789012345"),
        ("3 reports in 2 days", "3 reports in 2 days"),
        ("@alice says so", "[reporter] says so"),
        ("alice@town.example agrees", "[reporter] agrees"),
        ("malice aforethought", "malice aforethought"),
    ],
)
def test_redaction_rules(written: str, published: str) -> None:
    assert redact(written, ["alice"]) == published


def test_moderator_pseudonyms_are_stable_and_keyed() -> None:
    name = moderator_pseudonym(KEY, 42)
    assert name == moderator_pseudonym(KEY, 42)
    assert name.startswith("Moderator ")
    assert "42" not in name.removeprefix("Moderator ")[:-3]
    others = {moderator_pseudonym(KEY, i) for i in range(1, 30)}
    assert len(others) > 20  # distinct enough to tell moderators apart
    assert moderator_pseudonym(b"j" * 32, 42) != name or moderator_pseudonym(b"j" * 32, 43) != (
        moderator_pseudonym(KEY, 43)
    )


def test_author_pseudonyms_differ_between_cases() -> None:
    names = {author_pseudonym(KEY, case_id, 7) for case_id in range(20)}
    assert len(names) > 10
    assert author_pseudonym(KEY, 1, 7) == author_pseudonym(KEY, 1, 7)


def test_the_deliberation_is_published_with_the_decision_redacted(
    moderation: Moderation, moderator: Account, make_account: AccountFactory, make_post: PostFactory
) -> None:
    reporter, second = make_account("carol"), make_account("dave", role=Role.ADMIN)
    filed = moderation.cases.report(
        ReportDraft(reporter.id, PostTarget(make_post(make_account("author")).id))
    )
    cases = moderation.cases
    cases.comment(filed.case_id, moderator.id, "@carol wrote from carol@mail.example, fair.")
    cases.comment(filed.case_id, second.id, "Agreed; call me on 06 12 34 56 78.")
    with pytest.raises(CaseNotFoundError):
        cases.published(filed.case_id)  # nothing is public before the decision
    cases.take(filed.case_id, moderator.id)
    cases.decide(
        filed.case_id,
        moderator.id,
        CaseDecision(ActionKind.LABEL, f"{ANYTHING}@3", "Rude.", label="Rude"),
    )
    published = cases.published(filed.case_id)
    assert [c.body for c in published.deliberation] == [
        "[reporter] wrote from [reporter], fair.",
        "Agreed; call me on [phone redacted].",
    ]
    seen_by_moderators = cases.case_file(filed.case_id, second.id).comments
    names = [c.moderator for c in published.deliberation]
    assert names == [c.moderator for c in seen_by_moderators]
    assert names[0] != names[1]
    assert seen_by_moderators[0].body.startswith("@carol")  # moderators read it unredacted
    assert "carol" not in repr(published)
    with pytest.raises(IllegalTransitionError):
        cases.comment(filed.case_id, moderator.id, "too late")
