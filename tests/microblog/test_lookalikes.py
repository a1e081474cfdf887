"""Look-alike handles (TR39 skeletons) and invisible characters in display names."""

import pytest

from conftest import PASSWORD
from townsquare.microblog import HandleTakenError, InvalidProfileError, Microblog
from townsquare.microblog._accounts import Accounts
from townsquare.microblog._lookalikes import handle_skeleton, hidden_characters


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
