"""Registration rules, sign-in by handle or e-mail, profiles."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import PASSWORD, AccountFactory
from townsquare.microblog import (
    RESERVED_HANDLES,
    AccountNotFoundError,
    HandleTakenError,
    InvalidCredentialsError,
    InvalidProfileError,
    Microblog,
    Role,
    check_handle,
)


@pytest.mark.parametrize("handle", ["a", "Alice", "bob_2", "_x", "x" * 30, "ZOE"])
def test_valid_handles_are_accepted(microblog: Microblog, handle: str) -> None:
    account = microblog.accounts.register(handle, PASSWORD)
    assert account.username == handle
    assert microblog.accounts.by_username(handle.upper()).id == account.id


@pytest.mark.parametrize(
    ("handle", "rule"),
    [
        ("", "1 to 30"),
        ("x" * 31, "1 to 30"),
        ("with space", "letters"),
        ("dash-ed", "letters"),
        ("dot.ted", "letters"),
        ("émile", "letters"),
        ("alice\n", "letters"),
        ("12345", "letter"),
        ("0", "letter"),
        ("___", "letter"),
        ("_1_", "letter"),
        ("admin", "reserved"),
        ("Admin", "reserved"),
        ("ROOT", "reserved"),
    ],
)
def test_invalid_handles_are_refused_with_the_rule(
    microblog: Microblog, handle: str, rule: str
) -> None:
    with pytest.raises(InvalidProfileError, match=rule):
        microblog.accounts.register(handle, PASSWORD)
    assert microblog.accounts.count() == 0


def test_regression_handle_without_a_letter_passed_the_letter_rule() -> None:
    # The message says "at least one letter"; only all-digit handles were refused.
    with pytest.raises(InvalidProfileError, match="at least one letter"):
        check_handle("_1_")


def test_every_reserved_handle_is_refused_in_any_case() -> None:
    for handle in RESERVED_HANDLES:
        for spelling in (handle, handle.upper(), handle.capitalize()):
            with pytest.raises(InvalidProfileError, match="reserved"):
                check_handle(spelling)


@given(st.from_regex(r"[A-Za-z0-9_]{1,30}", fullmatch=True))
def test_check_handle_key_is_the_lower_case_handle(handle: str) -> None:
    if not any(c.isalpha() for c in handle) or handle.lower() in RESERVED_HANDLES:
        with pytest.raises(InvalidProfileError):
            check_handle(handle)
    else:
        assert check_handle(handle) == handle.lower()


def test_handles_are_unique_regardless_of_case(make_account: AccountFactory) -> None:
    make_account("Alice")
    with pytest.raises(HandleTakenError, match="handle"):
        make_account("aLICE")


def test_emails_are_unique_regardless_of_case(make_account: AccountFactory) -> None:
    make_account("alice", email="Alice@Example.org")
    with pytest.raises(HandleTakenError, match="e-mail"):
        make_account("bob", email="alice@example.ORG")


def test_many_accounts_may_have_no_email(make_account: AccountFactory) -> None:
    make_account("alice")
    make_account("bob", email="  ")
    assert make_account("carol").email is None


@pytest.mark.parametrize("email", ["no-at-sign", "a@b", "two@@example.org", "a b@example.org"])
def test_malformed_emails_are_refused(microblog: Microblog, email: str) -> None:
    with pytest.raises(InvalidProfileError, match="e-mail"):
        microblog.accounts.register("alice", PASSWORD, email=email)


@pytest.mark.parametrize("password", ["", "short", "7chars!", "x" * 257])
def test_password_length_is_enforced(microblog: Microblog, password: str) -> None:
    with pytest.raises(InvalidProfileError, match="8 to 256"):
        microblog.accounts.register("alice", password)


@pytest.mark.parametrize("password", ["8 chars!", "x" * 256])
def test_password_length_bounds_are_inclusive(microblog: Microblog, password: str) -> None:
    account = microblog.accounts.register("alice", password)
    assert microblog.accounts.authenticate("alice", password).id == account.id


def test_registration_stores_profile_and_role(microblog: Microblog) -> None:
    account = microblog.accounts.register(
        "Mod", PASSWORD, email="mod@example.org", display_name="  La Modé  ", role=Role.MODERATOR
    )
    assert account.display_name == "La Modé"
    assert account.role is Role.MODERATOR
    assert account.email == "mod@example.org"
    assert (account.statuses_count, account.followers_count, account.following_count) == (0, 0, 0)
    assert account.created_at.utcoffset() is not None


@pytest.mark.parametrize("login", ["alice", "ALICE", "@Alice", " alice ", "Alice@Example.org"])
def test_authenticate_by_handle_or_email_in_any_case(
    make_account: AccountFactory, microblog: Microblog, login: str
) -> None:
    account = make_account("Alice", email="alice@example.org")
    assert microblog.accounts.authenticate(login, PASSWORD).id == account.id


def test_authenticate_refuses_a_wrong_password(
    make_account: AccountFactory, microblog: Microblog
) -> None:
    make_account("alice", email="alice@example.org")
    for login in ("alice", "alice@example.org"):
        with pytest.raises(InvalidCredentialsError, match="Wrong handle, e-mail or password"):
            microblog.accounts.authenticate(login, PASSWORD + "!")


@pytest.mark.parametrize("login", ["nobody", "nobody@example.org", "", "al\x00ice"])
def test_authenticate_refuses_unknown_logins_alike(
    make_account: AccountFactory, microblog: Microblog, login: str
) -> None:
    make_account("alice")
    with pytest.raises(InvalidCredentialsError, match="Wrong handle, e-mail or password"):
        microblog.accounts.authenticate(login, PASSWORD)


def test_set_password_replaces_the_old_one(
    make_account: AccountFactory, microblog: Microblog
) -> None:
    account = make_account("alice")
    microblog.accounts.set_password(account.id, "a new password")
    assert microblog.accounts.authenticate("alice", "a new password").id == account.id
    with pytest.raises(InvalidCredentialsError):
        microblog.accounts.authenticate("alice", PASSWORD)


def test_update_profile(make_account: AccountFactory, microblog: Microblog) -> None:
    account = make_account("alice")
    updated = microblog.accounts.update_profile(
        account.id, display_name=" Alice L. ", bio="Hello\nhttps://example.org", locale="fr"
    )
    assert updated.display_name == "Alice L."
    assert updated.bio == "Hello\nhttps://example.org"
    assert '<a href="https://example.org"' in updated.bio_html
    assert "<br>" in updated.bio_html
    assert updated.locale == "fr"
    assert microblog.accounts.update_profile(account.id, bio="").bio == ""


def test_profile_lengths_are_counted_in_characters_people_see(
    make_account: AccountFactory, microblog: Microblog
) -> None:
    account = make_account("alice")
    accented = "e\u0301"  # one character on screen, two code points
    microblog.accounts.update_profile(account.id, display_name=accented * 50, bio=accented * 500)
    with pytest.raises(InvalidProfileError, match="display name"):
        microblog.accounts.update_profile(account.id, display_name="x" * 51)
    with pytest.raises(InvalidProfileError, match="bio"):
        microblog.accounts.update_profile(account.id, bio="x" * 501)


def test_regression_display_name_of_few_graphemes_overflowed_the_column(
    make_account: AccountFactory, microblog: Microblog
) -> None:
    # One grapheme, 201 code points: under the 50-character rule, over VARCHAR(100).
    account = make_account("alice")
    with pytest.raises(InvalidProfileError, match="display name"):
        microblog.accounts.update_profile(account.id, display_name="e" + "\u0301" * 200)
    with pytest.raises(InvalidProfileError, match="display name"):
        microblog.accounts.register("bob", PASSWORD, display_name="e" + "\u0301" * 200)


@pytest.mark.parametrize("text", ["nul\x00byte", "lone \ud800 surrogate"])
def test_regression_unstorable_profile_text_is_refused_not_a_crash(
    make_account: AccountFactory, microblog: Microblog, text: str
) -> None:
    account = make_account("alice")
    with pytest.raises(InvalidProfileError):
        microblog.accounts.update_profile(account.id, display_name=text)
    with pytest.raises(InvalidProfileError):
        microblog.accounts.update_profile(account.id, bio=text)
    with pytest.raises(InvalidProfileError):
        microblog.accounts.register("bob", PASSWORD, email=f"{text}@example.org")


def test_regression_lookup_of_an_impossible_handle_is_not_found(
    make_account: AccountFactory, microblog: Microblog
) -> None:
    make_account("alice")
    for name in ("al\x00ice", "alice@elsewhere.example", "", "x" * 200):
        with pytest.raises(AccountNotFoundError):
            microblog.accounts.by_username(name)


def test_get_unknown_account(microblog: Microblog) -> None:
    with pytest.raises(AccountNotFoundError):
        microblog.accounts.get(12345)


def test_set_role(make_account: AccountFactory, microblog: Microblog) -> None:
    account = make_account("alice")
    assert microblog.accounts.set_role(account.id, Role.ADMIN).role is Role.ADMIN
    with pytest.raises(AccountNotFoundError):
        microblog.accounts.set_role(999, Role.ADMIN)
