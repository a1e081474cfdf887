"""What the visibility port says is rendered: labels, content warnings, tombstones."""

from collections.abc import Iterator
from dataclasses import replace

import pytest
from litestar.testing import TestClient

from conftest import PASSWORD, AccountFactory
from microblog.fakes import FakeVisibility
from townsquare.app import Services, create_app
from townsquare.kernel import SystemClock
from townsquare.microblog import (
    HiddenBecause,
    LabelledBecause,
    Microblog,
    PostDraft,
    PostLabel,
    Surface,
    Tombstone,
)
from web.forms import WebClient

TITLES = {"en": "Be kind", "fr": "Soyez aimables"}


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
    note = PostLabel(LabelledBecause.LABELLED, "rules/3@1", TITLES, text="Disputed by a note")
    visibility.label(post.id, note, content_warning="Misleading")
    page = moderated_client.get(f"/@alice/{post.id}").text
    assert '<li class="label">Disputed by a note</li>' in page
    details = page[page.index('<details class="post__cw">') :]
    assert "Misleading" in details[: details.index("</summary>")]
    assert "Contested claim" in details[: details.index("</details>")]


def test_a_hidden_post_opened_by_its_link_shows_its_tombstone(
    moderated_client: WebClient, moderated: Microblog, visibility: FakeVisibility
) -> None:
    alice = moderated.accounts.register("alice", PASSWORD)
    post = moderated.posts.create(alice.id, PostDraft(text="Removed content"))
    visibility.hide(post.id, tombstone=Tombstone(HiddenBecause.REMOVED, "rules/3@1", TITLES))
    page = moderated_client.get(f"/@alice/{post.id}")
    assert page.status_code == 200
    assert "This post was removed for breaking the rule “Be kind” (rules/3@1)." in page.text
    assert f'href="/posts/{post.id}/why"' in page.text
    assert "/api/" not in page.text
    assert "Removed content" not in page.text
    assert "Removed content" not in moderated_client.get("/public").text


@pytest.mark.parametrize(
    ("stone", "english", "french"),
    [
        (
            Tombstone(HiddenBecause.REMOVED, "rules/3@1", TITLES),
            "This post was removed for breaking the rule “Be kind” (rules/3@1).",
            "Ce message a été retiré pour infraction à la règle « Soyez aimables » (rules/3@1).",
        ),
        (
            Tombstone(HiddenBecause.ACCOUNT_SUSPENDED, "rules/3@1", TITLES),
            "This account is suspended for breaking the rule “Be kind” (rules/3@1).",
            "Ce compte est suspendu pour infraction à la règle « Soyez aimables » (rules/3@1).",
        ),
        (
            Tombstone(HiddenBecause.LINK_BLOCKED, "rules/3@1", TITLES, link="spam.example"),
            "This post links to spam.example, which is blocked",
            "Ce message renvoie vers spam.example, qui est bloqué",
        ),
        (
            Tombstone(HiddenBecause.NOT_IN_COUNTRY, "rules/3@1", TITLES, country="FR"),
            "This post is not available in your country (FR)",
            "Ce message n’est pas disponible dans votre pays (FR)",
        ),
        (
            Tombstone(HiddenBecause.REACH_REDUCED, "rules/3@1", {"en": "Be kind"}),
            "This post is not shown here: its reach is reduced under the rule “Be kind”",
            "Ce message n’est pas affiché ici : sa diffusion est réduite au titre de la règle "
            "« Be kind »",
        ),
    ],
)
def test_a_tombstone_is_a_sentence_in_the_visitors_language(
    moderated_client: WebClient,
    moderated: Microblog,
    visibility: FakeVisibility,
    stone: Tombstone,
    english: str,
    french: str,
) -> None:
    alice = moderated.accounts.register("alice", PASSWORD)
    post = moderated.posts.create(alice.id, PostDraft(text="Hidden"))
    visibility.hide(post.id, tombstone=stone)
    path = f"/@alice/{post.id}"
    assert english in moderated_client.get(path).text.replace("&#34;", '"')
    in_french = moderated_client.get(path, headers={"Accept-Language": "fr"}).text
    assert french in in_french
    assert "Voir pourquoi, avec les preuves" in in_french


def test_an_authors_content_warning_hides_the_text_behind_details(
    client: WebClient, make_account: AccountFactory, microblog: Microblog
) -> None:
    alice = make_account("alice")
    microblog.posts.create(alice.id, PostDraft(text="Spoilers ahead", spoiler_text="Film plot"))
    page = client.get("/public").text
    assert '<details class="post__cw">' in page
    assert "Film plot" in page


def test_labels_without_a_moderators_words_are_worded_in_the_visitors_language(
    moderated_client: WebClient, moderated: Microblog, visibility: FakeVisibility
) -> None:
    alice = moderated.accounts.register("alice", PASSWORD)
    post = moderated.posts.create(alice.id, PostDraft(text="Contested claim"))
    reduced = PostLabel(
        LabelledBecause.REACH_REDUCED,
        "rules/3@1",
        TITLES,
        surfaces=(Surface.PUBLIC, Surface.SEARCH),
    )
    visibility.label(post.id, PostLabel(LabelledBecause.LABELLED, "rules/3@1", TITLES), reduced)
    english = moderated_client.get(f"/@alice/{post.id}").text
    assert '<li class="label">Labelled under the rule “Be kind” (rules/3@1)</li>' in english
    assert (
        '<li class="label">Reach reduced (Public timeline, Search) under the rule “Be kind” '
        "(rules/3@1)</li>"
    ) in english
    french = moderated_client.get(f"/@alice/{post.id}", headers={"Accept-Language": "fr"}).text
    assert (
        '<li class="label">Étiqueté au titre de la règle « Soyez aimables » (rules/3@1)</li>'
        in (french)
    )
    assert (
        '<li class="label">Diffusion réduite (Fil public, Rechercher) au titre de la règle '
        "« Soyez aimables » (rules/3@1)</li>"
    ) in french
    assert "Reach reduced" not in french
