"""Townsquare beside Takahē: the same world, the same timelines, the same load.

    python bench/peers.py --takahe-dir DIR --takahe-python PYTHON \\
        --townsquare-url postgresql+psycopg://postgres@127.0.0.1/townsquare_peers \\
        --takahe-url postgresql://postgres@127.0.0.1/takahe_bench

Stages: (1) build or reuse the world (`bulk_world.py`) in a Townsquare PostgreSQL database and,
for reference, in a cached SQLite file; (2) issue bearer tokens for the same sampled accounts
on every server; (3) copy the world into Takahē's tables (`takahe_world.py`), home timelines
fanned out for those accounts; then, each round, for each server in turn (the order reversed
every other round): (4) start it alone, with the same number of worker processes as the others:
`townsquare serve` on PostgreSQL or on SQLite, or Takahē under gunicorn as its own deployment
files run it; (5) fetch one viewer's first home page, which must list the same statuses on
every server; (6) load its home and public timelines with wrk, same settings, waiting after
each load until the server has finished what wrk abandoned; then stop it. At the end,
(7) report each server's medians and Townsquare's ratio to Takahē, with the load average, and
write every round to `bench/results/peers-<date>.json`. Loopback only; every load is bounded.

Takahē is not part of this repository: its checkout, its virtual environment and its migrated
database are prepared by hand as bench/README.md describes, and given here by path and URL.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bulk_world import WorldSpec, ensure_world
from serving import running_process, running_server
from sqlalchemy.engine import make_url
from takahe_world import TAKAHE_DOMAIN, issue_takahe_tokens, load_takahe_world
from timelines import (
    CACHE_DIR,
    HOME,
    PING,
    PUBLIC,
    Measurement,
    default_sqlite_url,
    issue_tokens,
    run_wrk,
    say,
)

from townsquare.storage import create_database_engine, migrate

TAKAHE = "takahe"
TOWNSQUARE_PG = "townsquare-postgresql"
TOWNSQUARE_SQLITE = "townsquare-sqlite"
_TAKAHE_PUBLIC = "/api/v1/timelines/public"
_TAKAHE_HOME = "/api/v1/timelines/home"


@dataclass(frozen=True)
class Server:
    name: str
    port: int
    tokens: tuple[str, ...]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Round:
    number: int
    server: str
    load_average: float
    measurement: Measurement


def main(argv: Sequence[str] | None = None) -> None:
    args = _arguments(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    spec = WorldSpec(accounts=args.accounts, posts=args.posts, seed=args.seed)
    urls = {TOWNSQUARE_PG: args.townsquare_url}
    if args.sqlite:
        urls[TOWNSQUARE_SQLITE] = default_sqlite_url(spec)
    tokens = {name: _prepare_townsquare(url, spec, args.tokens) for name, url in urls.items()}
    _check_same_viewers(tokens)
    takahe_tokens = tokens[TOWNSQUARE_PG]
    townsquare_libpq = make_url(args.townsquare_url).set(drivername="postgresql")
    load_takahe_world(
        townsquare_libpq.render_as_string(hide_password=False),
        args.takahe_url,
        spec,
        list(takahe_tokens.values()),
        say,
    )
    issue_takahe_tokens(args.takahe_url, takahe_tokens)
    say(f"issued {len(takahe_tokens)} bearer tokens on every server")
    servers = [
        Server(name, args.port + i, tuple(tokens.get(name, takahe_tokens)))
        for i, name in enumerate([*urls, TAKAHE])
    ]

    def serve(server: Server) -> AbstractContextManager[None]:
        if server.name == TAKAHE:
            return _takahe_server(args, server.port)
        return _townsquare_server(urls[server.name], server.port, args)

    _report(_measure(servers, serve, args), args, spec)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--townsquare-url", required=True, help="a PostgreSQL SQLAlchemy URL")
    parser.add_argument("--takahe-url", required=True, help="Takahē's migrated database (libpq)")
    parser.add_argument("--takahe-dir", required=True, type=Path, help="Takahē's checkout")
    parser.add_argument("--takahe-python", required=True, help="the Python of Takahē's venv")
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=500, help="accounts to sign in as")
    parser.add_argument("--workers", type=int, default=2, help="worker processes per server")
    parser.add_argument("--port", type=int, default=8771, help="the first of three ports")
    parser.add_argument("--duration", type=int, default=20, help="seconds per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--limit", type=int, default=20, help="statuses per timeline page")
    parser.add_argument(
        "--timeout", type=int, default=60, help="seconds before wrk gives a request up"
    )
    return parser.parse_args(argv)


# (1)-(3) the world and the tokens -----------------------------------------------------------


def _prepare_townsquare(url: str, spec: WorldSpec, count: int) -> dict[str, int]:
    engine = create_database_engine(url)
    try:
        migrate(engine)
        ensure_world(engine, spec, say)
        return issue_tokens(engine, count)
    finally:
        engine.dispose()


def _check_same_viewers(tokens: Mapping[str, Mapping[str, int]]) -> None:
    viewers = {name: list(issued.values()) for name, issued in tokens.items()}
    if len({tuple(v) for v in viewers.values()}) != 1:
        sys.exit(f"the databases hold different worlds: their sampled viewers differ ({viewers})")


# (4) the servers ----------------------------------------------------------------------------


@contextmanager
def _townsquare_server(url: str, port: int, args: argparse.Namespace) -> Iterator[None]:
    data_dir = Path(tempfile.mkdtemp(prefix="townsquare-peers-"))
    with running_server(url, data_dir, port, args.workers, ready_path=PING) as log:
        say(f"Townsquare up on port {port}: {make_url(url).get_backend_name()} (log {log})")
        yield


@contextmanager
def _takahe_server(args: argparse.Namespace, port: int) -> Iterator[None]:
    """Takahē as its Procfile and Docker image serve it: gunicorn's synchronous workers over
    `takahe.wsgi`, here `--workers` of them, not in debug mode."""
    env = {
        **os.environ,
        "TAKAHE_DATABASE_SERVER": args.takahe_url,
        "TAKAHE_SECRET_KEY": "bench-only-not-secret",
        "TAKAHE_MAIN_DOMAIN": TAKAHE_DOMAIN,
        "TAKAHE_ENVIRONMENT": "production",
        "TAKAHE_DEBUG": "false",
    }
    command = [
        args.takahe_python, "-m", "gunicorn", "takahe.wsgi:application",
        "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
    ]  # fmt: skip
    log_path = Path(tempfile.mkdtemp(prefix="takahe-peers-")) / "server.log"
    ready = f"http://127.0.0.1:{port}{_TAKAHE_PUBLIC}?limit=1"
    with running_process(
        command,
        cwd=Path(args.takahe_dir),
        env=env,
        log_path=log_path,
        ready_url=ready,
        name="Takahē",
    ):
        say(f"Takahē up on port {port}: gunicorn, {args.workers} workers (log {log_path})")
        yield


# (5) the same statuses on every server ------------------------------------------------------


def _paths(server: Server, limit: int) -> dict[str, str]:
    home, public = (_TAKAHE_HOME, _TAKAHE_PUBLIC) if server.name == TAKAHE else (HOME, PUBLIC)
    return {"home": f"{home}?limit={limit}", "public": f"{public}?limit={limit}"}


def _fetch(server: Server, path: str, token: str | None) -> list[dict[str, Any]]:
    request = urllib.request.Request(server.base + path)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as reply:
        statuses: list[dict[str, Any]] = json.load(reply)
    return statuses


def _first_pages(server: Server, limit: int) -> dict[str, list[str]]:
    """The status ids of the first viewer's first home page and of the first public page,
    without replies, which Takahē's public timeline leaves out by design (ours lists them)."""
    paths = _paths(server, limit)
    home = _fetch(server, paths["home"], server.tokens[0])
    public = _fetch(server, paths["public"], None)
    return {
        "home": [str(s["id"]) for s in home],
        "public": [str(s["id"]) for s in public if s.get("in_reply_to_id") is None],
    }


def _compare_first_pages(pages: Mapping[str, Mapping[str, list[str]]]) -> None:
    """The first home pages list the same statuses in the same order on every server, or
    the run stops; the public pages are compared as far as the shortest goes."""
    (first_name, first), *_ = pages.items()
    for name, page in pages.items():
        if page["home"] != first["home"]:
            sys.exit(f"home pages differ: {first_name} {first['home']}, {name} {page['home']}")
    say(f"first home page: the same {len(first['home'])} statuses on every server")
    shortest = min(len(page["public"]) for page in pages.values())
    same = all(page["public"][:shortest] == first["public"][:shortest] for page in pages.values())
    say(
        f"first public page, replies left out: the newest {shortest} "
        f"{'are the same' if same else 'DIFFER'} on every server"
    )


# (6) load -----------------------------------------------------------------------------------


def _measure(
    servers: Sequence[Server],
    serve: Callable[[Server], AbstractContextManager[None]],
    args: argparse.Namespace,
) -> list[Round]:
    """Each round starts each server in turn (the order reversed every other round), so
    only the server under load runs; after each load the server is left to finish the
    requests wrk gave up on before anything else is measured."""

    def load(server: Server, endpoint: str, duration: int) -> Measurement:
        measured = run_wrk(
            server.base,
            _paths(server, args.limit)[endpoint],
            server.tokens if endpoint == "home" else (),
            connections=args.connections,
            duration=duration,
            name=endpoint,
            timeout=args.timeout,
        )
        waited = _wait_until_idle(server.port)
        if waited > 2:
            say(f"  {server.name} finished its abandoned requests in {waited:.0f} s")
        return measured

    rounds: list[Round] = []
    for number in range(1, args.rounds + 1):
        pages: dict[str, dict[str, list[str]]] = {}
        for server in servers if number % 2 else list(reversed(servers)):
            with serve(server):
                pages[server.name] = _first_pages(server, args.limit)
                for endpoint in ("home", "public"):
                    load(server, endpoint, duration=3)  # warm-up: caches, connection pools
                for endpoint in ("home", "public"):
                    load_average = os.getloadavg()[0]
                    measured = load(server, endpoint, args.duration)
                    rounds.append(Round(number, server.name, load_average, measured))
                    say(
                        f"round {number} {server.name:<22} {endpoint:<7}"
                        f"{measured.requests_per_second:7.1f} req/s"
                        f"  p50 {measured.p50_ms:7.1f} ms  p99 {measured.p99_ms:7.1f} ms"
                        f"  errors {measured.errors}  load {load_average:.1f}"
                    )
        _compare_first_pages(pages)
    return rounds


def _wait_until_idle(port: int, *, limit: float = 300) -> float:
    """Wait until the processes listening on `port` use under a tenth of a core over a
    second (at most `limit` seconds); return how long that took."""
    started = time.monotonic()
    pids = _listening_pids(port)
    hertz = os.sysconf("SC_CLK_TCK")
    while time.monotonic() - started < limit:
        before = _cpu_ticks(pids)
        time.sleep(1)
        if _cpu_ticks(pids) - before < hertz / 10:
            break
    return time.monotonic() - started


def _listening_pids(port: int) -> list[int]:
    """The server's processes: every process holding its listening socket (the workers
    share it), as `ss` reports them."""
    output = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    return sorted({int(pid) for pid in re.findall(r"pid=(\d+)", output)})


def _cpu_ticks(pids: Sequence[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total


# (7) report ---------------------------------------------------------------------------------


def _medians(rounds: Sequence[Round]) -> dict[str, dict[str, Measurement]]:
    medians: dict[str, dict[str, Measurement]] = {}
    for server in dict.fromkeys(r.server for r in rounds):
        for endpoint in ("home", "public"):
            runs = [
                r.measurement
                for r in rounds
                if r.server == server and r.measurement.endpoint == endpoint
            ]
            medians.setdefault(server, {})[endpoint] = Measurement(
                endpoint=endpoint,
                requests_per_second=statistics.median(m.requests_per_second for m in runs),
                p50_ms=statistics.median(m.p50_ms for m in runs),
                p99_ms=statistics.median(m.p99_ms for m in runs),
                errors=sum(m.errors for m in runs),
            )
    return medians


def _round_record(r: Round) -> dict[str, Any]:
    return {
        **asdict(r.measurement),
        "round": r.number,
        "server": r.server,
        "load_average_1m": r.load_average,
    }


def _report(rounds: Sequence[Round], args: argparse.Namespace, spec: WorldSpec) -> None:
    medians = _medians(rounds)
    loads = [r.load_average for r in rounds]
    print(
        f"\nmedians of {args.rounds} rounds x {args.duration} s; world {spec.fingerprint}; "
        f"{args.workers} workers per server, wrk -t1 -c{args.connections}, "
        f"{os.cpu_count()} cores; 1-minute load average {min(loads):.1f} to {max(loads):.1f} "
        f"(median {statistics.median(loads):.1f})"
    )
    takahe = medians[TAKAHE]
    ratios: dict[str, dict[str, float]] = {}
    for server, endpoints in medians.items():
        for endpoint, m in endpoints.items():
            base = takahe[endpoint].requests_per_second
            ratio = m.requests_per_second / base if base else float("inf")
            ratios.setdefault(server, {})[endpoint] = ratio
            print(
                f"  {server:<22} {endpoint:<7}{m.requests_per_second:7.1f} req/s  "
                f"p50 {m.p50_ms:7.1f} ms  p99 {m.p99_ms:7.1f} ms  errors {m.errors}  "
                f"{ratio:6.2f} x Takahē"
            )
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    out = CACHE_DIR.parent / f"peers-{time.strftime('%Y%m%d-%H%M%S')}.json"
    hidden = {"townsquare_url": "postgresql", "takahe_url": "postgresql"}
    out.write_text(
        json.dumps(
            {
                "world": spec.fingerprint,
                "arguments": {k: str(v) for k, v in vars(args).items()} | hidden,
                "cores": os.cpu_count(),
                "rounds": [_round_record(r) for r in rounds],
                "medians": {s: {e: asdict(m) for e, m in ms.items()} for s, ms in medians.items()},
                "ratio_to_takahe": ratios,
            },
            indent=2,
        )
    )
    print(f"results written to {out}")


if __name__ == "__main__":
    main()
