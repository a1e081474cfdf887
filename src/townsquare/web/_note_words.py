"""The words for community notes' answers, statuses and refusals, in the visitor's language.

The domain speaks in the public files' column names (`misleadingFactualError`, `HELPFUL`…)
and in English messages (its errors also reach API clients); the pages word them here.
"""

import re

from townsquare.web._visitors import Visitor

__all__ = ["NOTE_WORDS", "note_error"]


def N_(message: str) -> str:  # noqa: N802  # the marker name gettext extractors know
    """Mark `message` for the catalog without translating it here."""
    return message


# Labels follow the reference's writing and rating forms.
NOTE_WORDS = {
    "MISINFORMED_OR_POTENTIALLY_MISLEADING": N_("Misinformed or potentially misleading"),
    "NOT_MISLEADING": N_("Not misleading"),
    "misleadingOther": N_("Other"),
    "misleadingFactualError": N_("It contains a factual error"),
    "misleadingManipulatedMedia": N_("It contains a digitally altered photo or video"),
    "misleadingOutdatedInformation": N_("It contains outdated information that may mislead"),
    "misleadingMissingImportantContext": N_("It misrepresents or misses important context"),
    "misleadingUnverifiedClaimAsFact": N_("It presents an unverified claim as a fact"),
    "misleadingSatire": N_("It is a joke or satire that might be taken as a fact"),
    "notMisleadingOther": N_("Other"),
    "notMisleadingFactuallyCorrect": N_("It expresses a factually correct claim"),
    "notMisleadingOutdatedButNotWhenWritten": N_(
        "It was correct when written but is out of date now"
    ),
    "notMisleadingClearlySatire": N_("It is clearly satirical or a joke"),
    "notMisleadingPersonalOpinion": N_("It expresses a personal opinion"),
    "helpfulOther": N_("Other"),
    "helpfulClear": N_("Clear and well written"),
    "helpfulGoodSources": N_("Cites high-quality sources"),
    "helpfulAddressesClaim": N_("Directly addresses the post's claim"),
    "helpfulImportantContext": N_("Provides important context"),
    "helpfulUnbiasedLanguage": N_("Neutral or unbiased language"),
    "notHelpfulOther": N_("Other"),
    "notHelpfulIncorrect": N_("Incorrect information"),
    "notHelpfulSourcesMissingOrUnreliable": N_("Sources missing or unreliable"),
    "notHelpfulMissingKeyPoints": N_("Misses key points or is irrelevant"),
    "notHelpfulHardToUnderstand": N_("Typos or unclear language"),
    "notHelpfulArgumentativeOrBiased": N_("Argumentative or biased language"),
    "notHelpfulSpamHarassmentOrAbuse": N_("Harassment or abuse"),
    "notHelpfulIrrelevantSources": N_("Sources do not support the note"),
    "notHelpfulOpinionSpeculation": N_("Opinion or speculation"),
    "notHelpfulNoteNotNeeded": N_("No note is needed on this post"),
    "HELPFUL": N_("Helpful"),
    "SOMEWHAT_HELPFUL": N_("Somewhat helpful"),
    "NOT_HELPFUL": N_("Not helpful"),
    "CURRENTLY_RATED_HELPFUL": N_("Rated helpful"),
    "CURRENTLY_RATED_NOT_HELPFUL": N_("Rated not helpful"),
    "NEEDS_MORE_RATINGS": N_("Needs more ratings"),
    "BELIEVABLE_BY_FEW": N_("Few people"),
    "BELIEVABLE_BY_MANY": N_("Many people"),
    "LITTLE_HARM": N_("Little harm"),
    "CONSIDERABLE_HARM": N_("Considerable harm"),
    "yes": N_("Yes"),
    "no": N_("No"),
    "EASY": N_("Easy"),
    "CHALLENGING": N_("Challenging"),
    "account_too_new": N_("Your account is too new to contribute notes yet."),
    "account_limited": N_("A limit on your account stops you contributing notes."),
    "account_suspended": N_("A suspended account cannot contribute notes."),
}

_FIXED = frozenset(
    {
        N_("A note needs some text."),
        N_("A note needs at least one source link."),
        N_("Choose at least one reason for your classification."),
        N_("Say whether your sources are ones most people would trust."),
        N_("You cannot write a note on your own post."),
        N_("You already wrote a note on this post."),
        N_("You cannot rate your own note."),
        N_("This post is hidden, so it has no notes."),
        N_("Your account is too new to contribute notes yet."),
        N_("A limit on your account stops you contributing notes."),
        N_("A suspended account cannot contribute notes."),
        N_("Choose a classification."),
        N_("Choose whether the note is helpful."),
    }
)

_PATTERNS = (
    (
        re.compile(r"A note is at most (?P<most>\d+) characters; this one has (?P<count>\d+)\."),
        N_("A note is at most %(most)s characters; this one has %(count)s."),
    ),
    (
        re.compile(r"A note cites at most (?P<most>\d+) source links\."),
        N_("A note cites at most %(most)s source links."),
    ),
    (
        re.compile(r"A source link is at most (?P<most>\d+) characters\."),
        N_("A source link is at most %(most)s characters."),
    ),
    (
        re.compile(r"A source must be an http:// or https:// link: (?P<link>.*)"),
        N_("A source must be an http:// or https:// link: %(link)s"),
    ),
    (
        re.compile(r"The reason (?P<reason>\w+) does not fit a (?P<kind>\w+) note\."),
        N_("The reason “%(reason)s” does not fit a note that says “%(kind)s”."),
    ),
    (
        re.compile(r"A (?P<level>\w+) rating cannot carry the tag (?P<tag>\w+)\."),
        N_("A “%(level)s” rating cannot carry the tag “%(tag)s”."),
    ),
)


def note_error(message: str, visitor: Visitor) -> str:
    """`message` from the notes package in the visitor's language (as raised if unknown)."""
    if message in _FIXED:
        return visitor.gettext(message)
    for pattern, template in _PATTERNS:
        found = pattern.fullmatch(message)
        if found:
            values = {k: _word(v, visitor) for k, v in found.groupdict().items()}
            return visitor.gettext(template) % values
    return message


def _word(value: str, visitor: Visitor) -> str:
    return visitor.gettext(NOTE_WORDS[value]) if value in NOTE_WORDS else value
