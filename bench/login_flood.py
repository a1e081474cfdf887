"""What a flood of wrong passwords does to everybody else's timeline.

    .venv/bin/python bench/login_flood.py                   # SQLite
    .venv/bin/python bench/login_flood.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

From a fresh database: a reader who follows a writer of `posts` posts, and a victim account,
all with the server's real argon2id parameters. Starts `townsquare serve` on a loopback port,
then (1) the reader alone reads `/api/v1/timelines/home?limit=20` for `duration` seconds;
(2) the same while `clients` threads send the password grant (`POST /oauth/token`) with a
wrong password for the victim as fast as the server answers (`--flood ping`: a route that
does nothing instead, to tell the cost of hashing from the cost of any flood of requests).
Prints the median and p90 of the reader's timeline in both phases, and what the flood's
requests got back (400 wrong password, 429 throttled), and writes
`bench/results/login-flood-<backend>-<date>.json`. With TOWNSQUARE_REDIS_URL set, the server
keeps its sign-in counters there. Every loop is bounded in time and every request goes to
127.0.0.1.
"""

import argparse
import json
import statistics
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from serving import fresh_database, running_server

from townsquare.api._grants import Grants
from townsquare.api._scopes import parse_scopes
from townsquare.app import build_services
from townsquare.kernel import SystemClock
from townsquare.microblog import PostDraft
from townsquare.settings import Settings

RESULTS = Path(__file__).parent / "results"
PASSWORD = "the reader's password"


def say(message: str) -> None:
    print(message, flush=True)


def _world(database_url: str, data_dir: Path, base: str, posts: int) -> dict[str, str]:
    """The reader's bearer token and the flood's app credentials."""
    url = fresh_database(database_url, data_dir)
    settings = Settings(data_dir=data_dir, database_url=url, base_url=base)
    services = build_services(settings, clock=SystemClock())
    try:
        accounts = services.microblog.accounts
        writer = accounts.register("writer", PASSWORD)
        reader = accounts.register("reader", PASSWORD)
        accounts.register("victim", PASSWORD)
        services.microblog.graph.follow(reader.id, writer.id)
        for n in range(posts):
            services.microblog.posts.create(writer.id, PostDraft(text=f"post {n}"))
        grants = Grants(services.microblog)
        app = grants.register_app(
            "bench", None, ("urn:ietf:wg:oauth:2.0:oob",), parse_scopes("read")
        )
        token = grants.issue_token(app.id, reader.id, parse_scopes("read")).access_token
        return {"token": token, "client_id": app.client_id, "client_secret": app.client_secret}
    finally:
        services.db.dispose()


def _read_timeline(base: str, token: str, duration: float) -> list[float]:
    """Sequential home-timeline reads for `duration` seconds; each one's latency in ms."""
    latencies = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=60) as http:
        deadline = time.monotonic() + duration
        while time.monotonic() < deadline:
            started = time.perf_counter()
            reply = http.get("/api/v1/timelines/home", params={"limit": 20}, headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
            reply.raise_for_status()
    return latencies


def _flood(
    base: str, world: dict[str, str], kind: str, stop: threading.Event, seen: Counter[int]
) -> None:
    """Wrong passwords (`kind` "password") or, for comparison, a route that does no work at
    all ("ping"), as fast as the server answers."""
    form = {
        "grant_type": "password",
        "client_id": world["client_id"],
        "client_secret": world["client_secret"],
        "username": "victim",
        "password": "not the password",
        "scope": "read",
    }
    with httpx.Client(base_url=base, timeout=60) as http:
        while not stop.is_set():
            try:
                if kind == "ping":
                    status = http.get("/api/v1/townsquare/ping").status_code
                else:
                    status = http.post("/oauth/token", data=form).status_code
            except httpx.HTTPError:
                status = 0
            seen[status] += 1


def _summary(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "reads": len(ordered),
        "median_ms": round(statistics.median(ordered), 2),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 2),
    }


def _measure(
    base: str, world: dict[str, str], clients: int, duration: float, kind: str
) -> dict[str, Any]:
    say(f"reader alone for {duration:.0f} s…")
    quiet = _summary(_read_timeline(base, world["token"], duration))
    say(f"reader with {clients} clients flooding ({kind}), {duration:.0f} s…")
    stop, seen = threading.Event(), Counter[int]()
    threads = [
        threading.Thread(target=_flood, args=(base, world, kind, stop, seen))
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    try:
        flooded = _summary(_read_timeline(base, world["token"], duration))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    return {"quiet": quiet, "flooded": flooded, "flood_statuses": dict(sorted(seen.items()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8093)
    parser.add_argument(
        "--flood",
        choices=["password", "ping"],
        default="password",
        help="what the clients send: wrong passwords, or (to compare) a no-op route",
    )
    parser.add_argument("--label", default="", help="a name for this run in the results file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="townsquare-flood-") as tmp:
        data_dir = Path(tmp)
        database_url = args.database_url or f"sqlite:///{data_dir / 'townsquare.db'}"
        base = f"http://127.0.0.1:{args.port}"
        world = _world(database_url, data_dir, base, args.posts)
        with running_server(
            database_url, data_dir, args.port, args.workers, ready_path="/api/v1/instance"
        ):
            result = _measure(base, world, args.clients, args.duration, args.flood)
    quiet, flooded = result["quiet"], result["flooded"]
    for name, phase in (("quiet", quiet), ("flooded", flooded)):
        say(f"{name}: median {phase['median_ms']} ms, p90 {phase['p90_ms']} ms ({phase['reads']})")
    say(f"slower by {flooded['median_ms'] / quiet['median_ms']:.1f}× at the median")
    say(f"the flood's answers by status: {result['flood_statuses']}")
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    out = RESULTS / f"login-flood-{backend}-{stamp}{'-' + args.label if args.label else ''}.json"
    out.write_text(json.dumps({**vars(args), **result}, indent=2) + "\n")
    say(f"wrote {out}")


if __name__ == "__main__":
    main()
