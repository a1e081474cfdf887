"""What the visibility port says is rendered: labels, content warnings, tombstones."""

from collections.abc import Iterator
from dataclasses import replace

import pytest
from litestar.testing import TestClient

from conftest import PASSWORD, AccountFactory
from microblog.fakes import FakeVisibility
from townsquare.app import Services, create_app
from townsquare.kernel import SystemClock
from townsquare.microblog import Microblog, PostDraft
from web.forms import WebClient


@pytest.fixture
def visibility() -> FakeVisibility:
    return FakeVisibility()


@pytest.fixture
def moderated(services: Services, visibility: FakeVisibility) -> Microblog:
    """The microblog with the fake port wired in, as app.py wires moderation's."""
    return Microblog(
        services.db,
        clock=SystemClock(),
        base_url=services.settings.base_url,
        visibility=visibility,
        passwords=services.microblog.context.passwords,
    )


@pytest.fixture
def moderated_client(services: Services, moderated: Microblog) -> Iterator[WebClient]:
    wired = replace(services, microblog=moderated)
    with TestClient(app=create_app(wired)) as test_client:
        yield test_client


def test_labels_and_a_content_warning_are_shown_with_the_post(
    moderated_client: WebClient, moderated: Microblog, visibility: FakeVisibility
) -> None:
    alice = moderated.accounts.register("alice", PASSWORD)
    post = moderated.posts.create(alice.id, PostDraft(text="Contested claim"))
    visibility.label(post.id, "Disputed by a community note", content_warning="Misleading")
    page = moderated_client.get(f"/@alice/{post.id}").text
    assert '<li class="label">Disputed by a community note</li>' in page
    details = page[page.index('<details class="post__cw">') :]
    assert "Misleading" in details[: details.index("</summary>")]
    assert "Contested claim" in details[: details.index("</details>")]


def test_a_hidden_post_opened_by_its_link_shows_its_tombstone(
    moderated_client: WebClient, moderated: Microblog, visibility: FakeVisibility
) -> None:
    alice = moderated.accounts.register("alice", PASSWORD)
    post = moderated.posts.create(alice.id, PostDraft(text="Removed content"))
    visibility.hide(post.id, tombstone="Removed for breaking rule 3.")
    page = moderated_client.get(f"/@alice/{post.id}")
    assert page.status_code == 200
    assert "Removed for breaking rule 3." in page.text
    assert "Removed content" not in page.text
    assert "Removed content" not in moderated_client.get("/public").text


def test_an_authors_content_warning_hides_the_text_behind_details(
    client: WebClient, make_account: AccountFactory, microblog: Microblog
) -> None:
    alice = make_account("alice")
    microblog.posts.create(alice.id, PostDraft(text="Spoilers ahead", spoiler_text="Film plot"))
    page = client.get("/public").text
    assert '<details class="post__cw">' in page
    assert "Film plot" in page
