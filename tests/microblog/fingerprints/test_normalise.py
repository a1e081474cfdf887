"""Tests for townsquare.microblog.fingerprints: the comparable form of a text."""

from hypothesis import given
from hypothesis import strategies as st

from townsquare.microblog.fingerprints import normalise


def test_compatibility_forms_and_case_read_as_plain_letters() -> None:
    assert normalise("ＶＯＴＥ Straße ﬁne 𝐁𝐎𝐋𝐃") == "vote strasse fine bold"


def test_a_url_becomes_its_host() -> None:
    written = "see https://www.Example.org/a/b?utm=1#top now"
    assert normalise(written) == "see example.org now"


def test_links_to_different_sites_stay_different() -> None:
    assert normalise("go http://one.example/x") != normalise("go http://two.example/x")


def test_mentions_are_unnamed() -> None:
    assert normalise("hey @alice look") == normalise("hey @bob@remote.example look")


def test_punctuation_and_spacing_do_not_count() -> None:
    assert normalise("  Hello,   world!!! ... ") == "hello world"


def test_numbers_keep_their_decimal_point() -> None:
    assert normalise("only 3.5 percent.") == "only 3.5 percent"


@given(st.text(max_size=200))
def test_normalising_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
