"""The notes pages: reading a post's notes, writing, rating and requesting through the forms,
the needs-your-rating list and the impact page, in English and French."""

from datetime import UTC, datetime, timedelta

import pytest

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import Account
from townsquare.notes import NoteStatus, note_draft
from townsquare.storage.tables import note_statuses
from web.forms import WebClient, sign_in, submit

NOTE_FORM = {
    "classification": "MISINFORMED_OR_POTENTIALLY_MISLEADING",
    "misleadingFactualError": "on",
    "text": "The figure quoted is from 2019.",
    "sources": "https://stats.example.org/2019\nhttps://archive.example.org/x",
    "trustworthy_sources": "yes",
}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))


@pytest.fixture
def people(make_account: AccountFactory, clock: FixedClock) -> dict[str, Account]:
    made = {name: make_account(name) for name in ("poster", "writer", "rater")}
    clock.advance(timedelta(days=8))
    made["newcomer"] = make_account("newcomer")
    return made


@pytest.fixture
def post_id(people: dict[str, Account], make_post: PostFactory) -> int:
    return make_post(people["poster"], "Unemployment doubled this year.").id


def _note_on(services: Services, writer: Account, post_id: int) -> int:
    draft = note_draft(
        classification="NOT_MISLEADING",
        reasons=["notMisleadingFactuallyCorrect"],
        trustworthy_sources=True,
        text="This matches the official figures.",
        sources=["https://stats.example.org/"],
    )
    return services.notes.write(writer.id, post_id, draft).id


def test_the_post_page_links_to_its_notes(
    client: WebClient, people: dict[str, Account], post_id: int
) -> None:
    page = client.get(f"/@poster/{post_id}").text
    assert f'href="/posts/{post_id}/notes"' in page


def test_a_member_writes_a_note_through_the_form(
    client: WebClient, people: dict[str, Account], post_id: int
) -> None:
    sign_in(client, "writer")
    form = client.get(f"/posts/{post_id}/notes/new")
    assert form.status_code == 200
    assert 'name="misleadingFactualError"' in form.text
    done = submit(client, f"/posts/{post_id}/notes", NOTE_FORM)
    assert done.status_code == 303
    assert done.headers["location"] == f"/posts/{post_id}/notes"
    listed = client.get(f"/posts/{post_id}/notes").text
    assert "The figure quoted is from 2019." in listed
    assert "Needs more ratings" in listed
    assert "Written by" not in listed
    assert "Your note" in listed


def test_a_note_to_fix_comes_back_with_its_error_in_french(
    client: WebClient, people: dict[str, Account], post_id: int
) -> None:
    sign_in(client, "writer")
    client.cookies.set("lang", "fr")
    client.headers["Accept-Language"] = "fr"
    answer = submit(client, f"/posts/{post_id}/notes", {**NOTE_FORM, "text": "x" * 281})
    assert answer.status_code == 422
    assert "Une note fait au plus 280 caractères ; celle-ci en a 281." in answer.text
    assert 'value="x' not in answer.text  # the textarea keeps what was typed, not an attribute
    assert "x" * 281 in answer.text


def test_a_newcomer_is_told_why_they_cannot_write(
    client: WebClient, people: dict[str, Account], post_id: int
) -> None:
    sign_in(client, "newcomer")
    page = client.get(f"/posts/{post_id}/notes").text
    assert "Your account is too new to contribute notes yet." in page
    assert "Request a note" not in page
    refused = submit(client, f"/posts/{post_id}/notes", NOTE_FORM)
    assert refused.status_code == 403
    assert "too new" in refused.text
    waiting = client.get("/notes/needs-rating").text
    assert "You can contribute from" in waiting


def test_the_author_of_a_post_cannot_write_a_note_on_it(
    client: WebClient, people: dict[str, Account], post_id: int
) -> None:
    sign_in(client, "poster")
    assert "Write a note" not in client.get(f"/posts/{post_id}/notes").text
    refused = submit(client, f"/posts/{post_id}/notes", NOTE_FORM)
    assert refused.status_code == 403
    assert "your own post" in refused.text


def test_rating_and_requesting_through_the_forms(
    client: WebClient, services: Services, people: dict[str, Account], post_id: int
) -> None:
    note_id = _note_on(services, people["writer"], post_id)
    sign_in(client, "rater")
    assert client.get(f"/notes/{note_id}/rate").status_code == 200
    wrong = submit(
        client, f"/notes/{note_id}/rate", {"level": "HELPFUL", "notHelpfulIncorrect": "on"}
    )
    assert wrong.status_code == 422
    assert "cannot carry the tag" in wrong.text
    rated = submit(client, f"/notes/{note_id}/rate", {"level": "HELPFUL", "helpfulClear": "on"})
    assert rated.status_code == 303
    assert "You rated it: Helpful" in client.get(f"/posts/{post_id}/notes").text
    again = client.get(f"/notes/{note_id}/rate").text  # the form holds the rating given
    assert 'name="level" value="HELPFUL" checked' in again
    assert 'name="helpfulClear" value="on" checked' in again
    assert submit(client, f"/posts/{post_id}/notes/request").status_code == 303
    page = client.get(f"/posts/{post_id}/notes").text
    assert "1 member asked for a note on this post." in page
    assert "You asked for a note on this post." in page


def test_a_note_author_cannot_rate_their_note(
    client: WebClient, services: Services, people: dict[str, Account], post_id: int
) -> None:
    note_id = _note_on(services, people["writer"], post_id)
    sign_in(client, "writer")
    refused = submit(client, f"/notes/{note_id}/rate", {"level": "HELPFUL"})
    assert refused.status_code == 403
    assert "your own note" in refused.text


def test_anonymous_visitors_see_decided_notes_and_their_authors_only(
    client: WebClient,
    services: Services,
    clock: FixedClock,
    people: dict[str, Account],
    post_id: int,
) -> None:
    note_id = _note_on(services, people["writer"], post_id)
    page = client.get(f"/posts/{post_id}/notes").text
    assert "This matches the official figures." not in page
    assert "Sign in to write, rate or request notes." in page
    rate = client.get(f"/notes/{note_id}/rate", follow_redirects=False)
    assert rate.status_code == 303  # sign in first
    with services.db.write() as c:
        c.execute(
            note_statuses.insert().values(
                note_id=note_id,
                post_id=post_id,
                status=NoteStatus.CURRENTLY_RATED_HELPFUL.value,
                changed_at=clock.now(),
                leaf_hash=b"\0" * 32,
            )
        )
    shown = client.get(f"/posts/{post_id}/notes").text
    assert "This matches the official figures." in shown
    assert "Rated helpful" in shown
    assert "Written by @writer" in shown


def test_needs_your_rating_lists_others_notes_without_authors(
    client: WebClient, services: Services, people: dict[str, Account], post_id: int
) -> None:
    _note_on(services, people["writer"], post_id)
    sign_in(client, "rater")
    page = client.get("/notes/needs-rating")
    assert page.status_code == 200
    assert "This matches the official figures." in page.text
    assert "@writer" not in page.text
    assert 'href="/notes/needs-rating"' in page.text  # in the navigation


def test_the_impact_page_in_french(
    client: WebClient, services: Services, people: dict[str, Account], post_id: int
) -> None:
    _note_on(services, people["writer"], post_id)
    sign_in(client, "writer")
    client.cookies.set("lang", "fr")
    client.headers["Accept-Language"] = "fr"
    page = client.get("/notes/impact")
    assert page.status_code == 200
    assert "Impact de rédaction : 0" in page.text
    assert "1 note attend d’autres évaluations" in page.text
    assert "This matches the official figures." in page.text


def test_member_pages_send_visitors_to_sign_in(client: WebClient, post_id: int) -> None:
    for path in ("/notes/needs-rating", "/notes/impact", f"/posts/{post_id}/notes/new"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login")
