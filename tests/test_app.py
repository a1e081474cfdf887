"""The wiring: the server's lifecycle with the ledger sequencer running."""

import threading
import time

from litestar.testing import TestClient

from townsquare.app import Services, create_app
from townsquare.ledger import encode_entry


def test_shutdown_stops_the_sequencer_without_error(services: Services) -> None:
    # Regression: Litestar handed the app to `Sequencer.stop` as its timeout, so stopping
    # the server raised a TypeError in the shutdown hook.
    with TestClient(create_app(services, sequencer=True)) as client:
        assert client.get("/api/v1/townsquare/ping").status_code == 200
    assert not [t for t in threading.enumerate() if t.name == "ledger-sequencer"]


def test_the_running_sequencer_integrates_appended_entries(services: Services) -> None:
    with TestClient(create_app(services, sequencer=True)) as client:
        with services.db.write() as conn:
            services.ledger.append(conn, encode_entry("test.note", 1, {"n": 1}))
        deadline = time.monotonic() + 10
        while services.ledger.size() < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert services.ledger.size() == 1
        assert client.get("/ledger/checkpoint").text.splitlines()[1] == "1"
