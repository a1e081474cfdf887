"""Note and rating drafts: every rule, with a message that says what to change."""

import pytest

from townsquare.notes import (
    CURRENT_HELPFUL_TAGS,
    CURRENT_NOT_HELPFUL_TAGS,
    MAX_NOTE_CHARACTERS,
    Believable,
    Classification,
    HelpfulnessLevel,
    InvalidNoteError,
    InvalidRatingError,
    allowed_tags,
    note_draft,
    rating_draft,
)
from townsquare.notes.scoring import HELPFUL_TAGS, NOT_HELPFUL_TAGS

from .conftest import a_note


def test_a_complete_note_keeps_its_answers_trimmed_and_in_layout_order() -> None:
    draft = a_note(
        "  Context.  ",
        reasons=["misleadingOutdatedInformation", "misleadingFactualError"],
        sources=[" https://a.example/x ", "https://a.example/x", "http://b.example"],
        believable="believable_by_many",
    )
    assert draft.classification is Classification.MISLEADING
    assert draft.text == "Context."
    assert draft.reasons == ("misleadingFactualError", "misleadingOutdatedInformation")
    assert draft.sources == ("https://a.example/x", "http://b.example")
    assert draft.believable is Believable.BY_MANY
    assert draft.harmful is None


def test_the_text_is_one_to_280_characters_after_trimming() -> None:
    assert len(a_note("é" * MAX_NOTE_CHARACTERS).text) == MAX_NOTE_CHARACTERS
    with pytest.raises(InvalidNoteError, match="at most 280 characters; this one has 281"):
        a_note("x" * 281)
    with pytest.raises(InvalidNoteError, match="needs some text"):
        a_note("   ")


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        ([], "at least one source"),
        (["  "], "at least one source"),
        (["ftp://files.example/x"], "http:// or https://"),
        (["javascript:alert(1)"], "http:// or https://"),
        (["https://"], "http:// or https://"),
        (["https://a.example/with space"], "http:// or https://"),
        ([f"https://a.example/{'x' * 500}"], "at most 500 characters"),
        ([f"https://a.example/{n}" for n in range(6)], "at most 5 source links"),
    ],
)
def test_sources_are_a_few_web_links(sources: list[str], message: str) -> None:
    with pytest.raises(InvalidNoteError, match=message):
        a_note(sources=sources)


def test_reasons_must_fit_the_classification() -> None:
    with pytest.raises(InvalidNoteError, match="notMisleadingFactuallyCorrect does not fit"):
        a_note(reasons=["notMisleadingFactuallyCorrect"])
    with pytest.raises(InvalidNoteError, match="at least one reason"):
        a_note(reasons=[])
    fine = a_note(classification="NOT_MISLEADING", reasons=["notMisleadingClearlySatire"])
    assert fine.classification is Classification.NOT_MISLEADING


def test_unknown_answers_are_named() -> None:
    with pytest.raises(InvalidNoteError, match="classification: expected"):
        a_note(classification="FALSE")
    with pytest.raises(InvalidNoteError, match="harmful: expected LITTLE_HARM or"):
        a_note(harmful="SOME")
    with pytest.raises(InvalidNoteError, match="trust"):
        note_draft(
            classification="NOT_MISLEADING",
            reasons=["notMisleadingOther"],
            trustworthy_sources=None,
            text="x",
            sources=["https://a.example"],
        )


def test_helpful_ratings_take_only_helpful_tags() -> None:
    with pytest.raises(InvalidRatingError, match="HELPFUL rating cannot carry the tag notHelpful"):
        rating_draft(level="HELPFUL", tags=["notHelpfulIncorrect"])
    with pytest.raises(InvalidRatingError, match="cannot carry the tag helpfulClear"):
        rating_draft(level="NOT_HELPFUL", tags=["helpfulClear"])


def test_somewhat_helpful_takes_both_kinds_of_tag() -> None:
    draft = rating_draft(level="somewhat_helpful", tags=["notHelpfulIncorrect", "helpfulClear"])
    assert draft.level is HelpfulnessLevel.SOMEWHAT_HELPFUL
    assert draft.tags == ("helpfulClear", "notHelpfulIncorrect")


def test_deprecated_tags_are_refused_for_new_ratings() -> None:
    assert set(CURRENT_HELPFUL_TAGS) < set(HELPFUL_TAGS)
    assert set(CURRENT_NOT_HELPFUL_TAGS) < set(NOT_HELPFUL_TAGS)
    with pytest.raises(InvalidRatingError, match="helpfulEmpathetic"):
        rating_draft(level="HELPFUL", tags=["helpfulEmpathetic"])
    assert "notHelpfulOffTopic" not in allowed_tags(HelpfulnessLevel.SOMEWHAT_HELPFUL)


def test_an_unknown_level_is_named() -> None:
    with pytest.raises(InvalidRatingError, match="level: expected HELPFUL"):
        rating_draft(level="MAYBE")
