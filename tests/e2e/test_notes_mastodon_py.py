"""End to end: a note rated helpful across camps reaches the real Mastodon.py client, in a
marked section of the status's content and in the Townsquare extension; it leaves with it."""

import pytest
from mastodon import Mastodon
from sqlalchemy import update

from conftest import AccountFactory, PostFactory
from live_server import serve_asgi
from notes.factories_runs import two_camps
from townsquare.app import Services, create_app
from townsquare.storage.tables import note_ratings

pytestmark = pytest.mark.e2e


def test_a_shown_note_reaches_mastodon_py_and_leaves_when_it_loses_helpful(
    services: Services, make_account: AccountFactory, make_post: PostFactory
) -> None:
    world = two_camps(services, make_account, make_post)
    services.scoring_runs.run()
    with serve_asgi(create_app(services)) as url:
        client = Mastodon(api_base_url=url, version_check_mode="none")
        status = client.status(world.post_id)
        assert "<strong>Readers added context</strong>" in status["content"]
        assert "Rated helpful by people who often disagree." in status["content"]
        assert [n["id"] for n in status["townsquare"]["notes"]] == [str(world.bridging)]

        with services.db.write() as conn:
            conn.execute(
                update(note_ratings)
                .where(note_ratings.c.note_id == world.bridging)
                .values(level="NOT_HELPFUL")
            )
        services.scoring_runs.run()
        after = client.status(world.post_id)
        assert "Readers added context" not in after["content"]
        assert after["townsquare"]["notes"] == []
