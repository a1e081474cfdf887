"""Look-alike handles (TR39 skeletons) and invisible characters in display names."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import PASSWORD
from townsquare.microblog import HandleTakenError, InvalidProfileError, Microblog
from townsquare.microblog._accounts import Accounts
from townsquare.microblog._lookalikes import (
    _prototypes,
    _skeleton,
    handle_skeleton,
    hidden_characters,
)

# Skeletons as ICU 72.1 (`SpoofChecker.getSkeleton`, Unicode 15.0) computes them: the
# reference the vendored table was checked against when it was generated.
_ICU_SKELETONS = [
    ("paypal", "paypal"),
    ("p\u0430yp\u0430l", "paypal"),  # Cyrillic а
    ("\uff50\uff41\uff59\uff50\uff41\uff4c", "paypal"),  # fullwidth ｐａｙｐａｌ
    ("\u0405\u0441\u043e\u0440\u0435", "Scope"),  # Cyrillic Ѕсоре
    ("m", "rn"),
    ("rn", "rn"),
    ("aIice", "alice"),
    ("I0l1", "lOll"),
    ("\u01c9", "lj"),  # ǉ, one code point
    ("\u2170", "i"),  # small roman numeral one
    ("\U0001d400", "A"),  # mathematical bold A
    ("\u2113", "l"),  # script small l
    ("\ufb01", "fi"),  # ligature
    ("\u13aa", "A"),  # Cherokee
    ("\u0391\u0392\u0393", "AB\u0393"),  # Greek: Γ has no Latin look-alike
    ("\u00e9", "e\u0301"),  # the skeleton is in NFD
    ("e\u0301", "e\u0301"),
    ("\u2010", "-"),  # hyphen
    ("\u2014", "\u30fc"),  # em dash looks like the katakana long vowel mark
    ("\u02bc", "'"),
    ("\u0660", "."),  # Arabic-Indic zero
    ("\u00df", "\u00df"),  # ß is not ss
    # ƃ maps to b U+0304; the dot below that follows must then be reordered before the
    # macron: the mapped string is normalized again (TR39 §4).
    ("a\u0183\u0323", "ab\u0323\u0304"),
]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("alice", "aIice"),  # a capital i looks like a small L
        ("alice", "a1ice"),
        ("mod1", "rnod1"),  # "rn" looks like "m", "1" like "l"
        ("MOD1", "rnod1"),  # @mod1 names MOD1: the look-alike is refused all the same
        ("bob", "b0b"),
        ("alice", "Alice"),  # differing only by case
        ("ALICE", "ALlCE"),  # as typed: a capital I looks like a small L
    ],
)
def test_look_alike_handles_share_a_skeleton(first: str, second: str) -> None:
    assert handle_skeleton(first) == handle_skeleton(second)


@pytest.mark.parametrize(("text", "skeleton"), _ICU_SKELETONS)
def test_skeletons_are_those_icu_computes(text: str, skeleton: str) -> None:
    assert _skeleton(text) == skeleton


def test_the_table_maps_nfd_code_points_to_nfd_prototypes() -> None:
    table = _prototypes()
    assert len(table) > 5000
    for source, prototype in table.items():
        assert len(source) == 1
        assert unicodedata.normalize("NFD", source) == source
        assert unicodedata.normalize("NFD", prototype) == prototype != source


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
def test_a_skeleton_is_in_nfd_and_ignores_how_the_text_is_composed(text: str) -> None:
    skeleton = _skeleton(text)
    assert unicodedata.normalize("NFD", skeleton) == skeleton
    assert _skeleton(unicodedata.normalize("NFC", text)) == skeleton
    assert _skeleton(unicodedata.normalize("NFD", text)) == skeleton


@pytest.mark.parametrize(("first", "second"), [("alice", "alicia"), ("mod1", "mod2")])
def test_different_handles_have_different_skeletons(first: str, second: str) -> None:
    assert handle_skeleton(first) != handle_skeleton(second)


@pytest.mark.parametrize(
    ("existing", "newcomer"), [("alice", "aIice"), ("mod1", "rnod1"), ("aIice", "alice")]
)
def test_registering_a_look_alike_is_refused_naming_the_handle_it_looks_like(
    microblog: Microblog, existing: str, newcomer: str
) -> None:
    microblog.accounts.register(existing, PASSWORD)
    with pytest.raises(HandleTakenError, match=f"looks like @{existing}, which is taken"):
        microblog.accounts.register(newcomer, PASSWORD)
    assert microblog.accounts.count() == 1


def test_a_handle_differing_only_by_case_is_taken(microblog: Microblog) -> None:
    microblog.accounts.register("alice", PASSWORD)
    with pytest.raises(HandleTakenError, match="That handle is taken"):
        microblog.accounts.register("Alice", PASSWORD)


def test_the_unique_skeleton_refuses_a_look_alike_the_read_did_not_see(
    microblog: Microblog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two registrations racing: the second's read ran before the first's insert, so
    only the unique key stands between them."""
    microblog.accounts.register("alice", PASSWORD)
    monkeypatch.setattr(Accounts, "_refuse_taken", staticmethod(lambda *_: None))
    with pytest.raises(HandleTakenError, match="taken"):
        microblog.accounts.register("aIice", PASSWORD)
    assert microblog.accounts.count() == 1


@pytest.mark.parametrize("handle", ["adrnin", "r00t", "rnoderator"])
def test_a_look_alike_of_a_reserved_handle_is_reserved(microblog: Microblog, handle: str) -> None:
    with pytest.raises(InvalidProfileError, match="reserved"):
        microblog.accounts.register(handle, PASSWORD)


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("Alice\u202eecilA", ["U+202E"]),  # right-to-left override
        ("\u2066Alice\u2069", ["U+2066", "U+2069"]),  # isolates
        ("Al\u200bice", ["U+200B"]),  # zero-width space
        ("Al\u200dice", ["U+200D"]),  # a joiner outside an emoji
        ("\u3164", ["U+3164"]),  # Hangul filler, a blank that is not a space
        ("Ali\u00adce", ["U+00AD"]),  # soft hyphen
    ],
)
def test_invisible_characters_are_found(name: str, found: list[str]) -> None:
    assert hidden_characters(name) == found


@pytest.mark.parametrize("name", ["Alice", "Zoë", "علي", "👩\u200d💻 Dev", "I ❤️ tea", "1️⃣"])
def test_visible_names_and_emoji_sequences_pass(name: str) -> None:
    assert hidden_characters(name) == []


def test_a_display_name_with_a_bidi_override_is_refused(microblog: Microblog) -> None:
    with pytest.raises(InvalidProfileError, match=r"invisible or direction-changing.*U\+202E"):
        microblog.accounts.register("alice", PASSWORD, display_name="gnp\u202eexe")
    alice = microblog.accounts.register("alice", PASSWORD)
    with pytest.raises(InvalidProfileError, match="U\\+200F"):
        microblog.accounts.update_profile(alice.id, display_name="Alice\u200f")
    assert microblog.accounts.get(alice.id).display_name == ""
