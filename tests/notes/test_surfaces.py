"""A note rated helpful is shown on its post on every surface (web post page and timelines,
the Mastodon API's content, the Townsquare extension), and stops showing when it loses it."""

from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import update

from conftest import AccountFactory, PostFactory
from notes.factories_runs import TwoCamps, add_note, two_camps
from townsquare.app import Services, create_app
from townsquare.storage.tables import community_notes, note_ratings

NOTE = "A <b>bridging</b> note."
SOURCE = "https://example.org/archive"


@pytest.fixture
def client(services: Services) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=create_app(services)) as test_client:
        yield test_client


@pytest.fixture
def world(services: Services, make_account: AccountFactory, make_post: PostFactory) -> TwoCamps:
    built = two_camps(services, make_account, make_post)
    with services.db.write() as conn:
        conn.execute(
            update(community_notes)
            .where(community_notes.c.id == built.bridging)
            .values(text=NOTE, sources=f"{SOURCE}\njavascript:alert(1)")
        )
    services.scoring_runs.run()
    return built


def test_the_web_shows_the_note_in_english_and_french(
    client: TestClient[Litestar], world: TwoCamps
) -> None:
    page = client.get(f"/@poster/{world.post_id}", headers={"Accept-Language": "en"}).text
    box = page[page.index('<aside class="post__note"') :]
    box = box[: box.index("</aside>")]
    assert "Readers added context" in box
    assert "A &lt;b&gt;bridging&lt;/b&gt; note." in box
    assert f'<a href="{SOURCE}" rel="nofollow noopener noreferrer">' in box
    assert "javascript:" not in box
    assert "Rated helpful by people who often disagree." in box
    assert page.count('class="post__note"') == 1  # the partisan and unhelpful notes are not
    french = client.get(f"/@poster/{world.post_id}", headers={"Accept-Language": "fr"}).text
    assert "Des lecteurs ont ajouté du contexte" in french
    assert "Jugée utile par des personnes qui sont souvent en désaccord." in french
    assert "Readers added context" in client.get("/public").text
    assert "Readers added context" in client.get("/@poster").text


def test_the_mastodon_api_appends_a_marked_section_and_the_extension_has_the_note(
    client: TestClient[Litestar], world: TwoCamps
) -> None:
    status = client.get(f"/api/v1/statuses/{world.post_id}").json()
    content = status["content"]
    section = content[content.index("<p><strong>Readers added context</strong>") :]
    assert "A &lt;b&gt;bridging&lt;/b&gt; note." in section
    assert f'<a href="{SOURCE}" rel="nofollow noopener noreferrer">{SOURCE}</a>' in section
    assert "Rated helpful by people who often disagree." in section
    (note,) = status["townsquare"]["notes"]
    assert note["id"] == str(world.bridging)
    assert (note["text"], note["sources"]) == (NOTE, [SOURCE])
    assert note["status"] == "CURRENTLY_RATED_HELPFUL"
    timeline = client.get("/api/v1/timelines/public").json()
    assert sum(len(s["townsquare"]["notes"]) for s in timeline) == 1


def test_a_note_that_loses_helpful_stops_showing_everywhere(
    client: TestClient[Litestar], services: Services, world: TwoCamps
) -> None:
    with services.db.write() as conn:
        conn.execute(
            update(note_ratings)
            .where(note_ratings.c.note_id == world.bridging)
            .values(level="NOT_HELPFUL")
        )
    services.scoring_runs.run()
    assert "post__note" not in client.get(f"/@poster/{world.post_id}").text
    assert "post__note" not in client.get("/public").text
    status = client.get(f"/api/v1/statuses/{world.post_id}").json()
    assert "Readers added context" not in status["content"]
    assert status["townsquare"]["notes"] == []


def test_a_note_no_run_decided_is_not_shown(
    client: TestClient[Litestar],
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    post = make_post(make_account("poster"), "Nothing scored yet.")
    add_note(services, post.id, make_account("writer"))
    assert "post__note" not in client.get(f"/@poster/{post.id}").text


def test_the_posts_receipt_lists_the_note_status_changes_with_ledger_links(
    client: TestClient[Litestar], services: Services, world: TwoCamps
) -> None:
    services.ledger.integrate()
    indexes = services.moderation.receipt_for_post(world.post_id)
    assert len(indexes) == 2  # the bridging note shown, the unhelpful one rated not helpful
    page = client.get(f"/posts/{world.post_id}/why").text
    assert page.count("Community note status changed") == 2
    assert f'href="/notes/{world.bridging}/history"' in page
    assert f'href="/ledger/view/{indexes[0]}"' in page
    api = client.get(f"/api/v1/townsquare/posts/{world.post_id}/why").json()
    assert [e["index"] for e in api["entries"]] == indexes
    assert f'href="/posts/{world.post_id}/why"' in client.get(f"/@poster/{world.post_id}").text


def test_a_notes_history_page_lists_each_change_in_english_and_french(
    client: TestClient[Litestar], services: Services, world: TwoCamps
) -> None:
    services.ledger.integrate()
    (change,) = services.moderation.note_history(world.bridging)
    assert change.new_status == "CURRENTLY_RATED_HELPFUL"
    assert change.ledger_index is not None
    page = client.get(f"/notes/{world.bridging}/history", headers={"Accept-Language": "en"}).text
    assert "<code>NEEDS_MORE_RATINGS</code> → <code>CURRENTLY_RATED_HELPFUL</code>" in page
    assert change.fingerprint in page
    assert f'href="/ledger/view/{change.ledger_index}"' in page
    assert "GeneralCRH" in page
    french = client.get(f"/notes/{world.bridging}/history", headers={"Accept-Language": "fr"})
    assert "Historique des statuts d’une note de la communauté" in french.text
    never = client.get("/notes/12345/history").text
    assert "No scoring run has changed this note's status" in never
