"""Timeline throughput and latency under load, next to the cheapest endpoint as the ceiling.

    python bench/timelines.py                                   # SQLite
    python bench/timelines.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

Stages: (1) build or reuse a world (10,000 accounts, 1,000,000 posts by default); (2) issue
bearer tokens for sampled accounts; (3) print the query plans of the home and public timeline
queries, as the microblog issues them; (4) start `townsquare serve`; (5) load each endpoint
with wrk (Debian's `wrk`) for a bounded time, several rounds; (6) report medians and the
ratio of each timeline to the ping ceiling. Loopback only.
"""

import argparse
import hashlib
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bulk_world import WorldSpec, ensure_world
from serving import running_server
from sqlalchemy import Engine, delete, event, insert, select
from sqlalchemy.engine import make_url

from townsquare.kernel import SystemClock, snowflake_floor
from townsquare.microblog import DatabaseFeeds, FeedLimits, Microblog, Page, claim_feeds
from townsquare.storage import Database, create_database_engine, migrate, tables

BENCH_DIR = Path(__file__).resolve().parent
CACHE_DIR = BENCH_DIR / "results" / "cache"
TOKEN_SCOPES = "read write follow push"
PING = "/api/v1/townsquare/ping"
HOME = "/api/v1/timelines/home"
PUBLIC = "/api/v1/timelines/public"

_LUA = """
local tokens = {%(tokens)s}
local counter = 0
local path = "%(path)s"
request = function()
  counter = counter + 1
  local headers = {}
  if #tokens > 0 then
    headers["Authorization"] = "Bearer " .. tokens[(counter %% #tokens) + 1]
  end
  %(request)s
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "socket_errors": %%d, "non_2xx": %%d, '
    .. '"p50_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Measurement:
    endpoint: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    args = _arguments(argv)
    spec = WorldSpec(accounts=args.accounts, posts=args.posts, seed=args.seed)
    url = args.database_url or default_sqlite_url(spec)
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    engine = create_database_engine(url)
    migrate(engine)
    ensure_world(engine, spec, say)
    signed_in = issue_tokens(engine, args.tokens)
    tokens = list(signed_in)
    say(f"issued {len(tokens)} bearer tokens")
    microblog = Microblog(Database(engine), clock=SystemClock(), base_url="http://bench")
    build_feeds(microblog, list(signed_in.values()))
    _explain_timelines(engine, tokens)
    engine.dispose()
    with _server(url, args.port, args.workers):
        results = _measure_all(args, tokens)
    _report(results, url, args)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="", help="default: a cached SQLite file")
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=500, help="accounts to sign in as")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--duration", type=int, default=20, help="seconds per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--limit", type=int, default=20, help="statuses per timeline page")
    parser.add_argument("--endpoints", default="ping,home,public")
    return parser.parse_args(argv)


def default_sqlite_url(spec: WorldSpec) -> str:
    """The SQLite file that caches `spec`'s world between runs."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{CACHE_DIR / f'timelines-{spec.fingerprint}.sqlite'}"


# (2) tokens ---------------------------------------------------------------------------------


def issue_tokens(engine: Engine, count: int) -> dict[str, int]:
    """Bearer tokens for `count` accounts that follow someone, stored as the API stores them
    (SHA-256 hex), each mapped to its account's id. The accounts are the same for the same
    world. Earlier benchmark tokens are removed first."""
    with engine.begin() as conn:
        conn.execute(delete(tables.oauth_tokens))
        viewers = conn.scalars(
            select(tables.accounts.c.id)
            .where(tables.accounts.c.following_count > 0)
            .order_by(tables.accounts.c.id)
        ).all()
        step = max(1, len(viewers) // count)
        chosen = viewers[::step][:count]
        tokens = [secrets.token_urlsafe(32) for _ in chosen]
        first_id = snowflake_floor(datetime.now(UTC))
        rows = [
            {
                "id": first_id + i,
                "token_hash": hashlib.sha256(token.encode()).hexdigest(),
                "app_id": None,
                "account_id": account_id,
                "scopes": TOKEN_SCOPES,
                "created_at": datetime.now(UTC),
                "revoked_at": None,
            }
            for i, (token, account_id) in enumerate(zip(tokens, chosen, strict=True))
        ]
        conn.execute(insert(tables.oauth_tokens), rows)
    return dict(zip(tokens, chosen, strict=True))


# (3) query plans ----------------------------------------------------------------------------


def build_feeds(microblog: Microblog, readers: Sequence[int]) -> None:
    """Build the home feed of each of `readers` (its first home read does; one an earlier run
    left built is dropped first) and report the times, so a load then measures reads of built
    feeds, as a server's steady state is. The feeds are claimed for the store first, as a
    server claims them when it starts: a server finding them unclaimed would empty them."""
    with microblog.db.write() as conn:
        claim_feeds(conn, microblog.context.feeds, DatabaseFeeds(FeedLimits()))
        for reader in readers:
            microblog.context.feeds.drop(conn, reader)
    times = []
    for reader in readers:
        started = time.perf_counter()
        microblog.timelines.home(reader, Page(limit=1))
        times.append((time.perf_counter() - started) * 1000)
    say(
        f"built {len(readers)} home feeds (a first home read each): median "
        f"{statistics.median(times):.1f} ms, slowest {max(times):.0f} ms"
    )


def _explain_timelines(engine: Engine, tokens: Sequence[str]) -> None:
    """Capture the SQL the microblog issues for one home and one public page, and print
    the database's plan for each statement."""
    microblog = Microblog(Database(engine), clock=SystemClock(), base_url="http://bench")
    with engine.connect() as conn:
        viewer = conn.scalar(
            select(tables.oauth_tokens.c.account_id).where(
                tables.oauth_tokens.c.token_hash == hashlib.sha256(tokens[0].encode()).hexdigest()
            )
        )
    assert viewer is not None
    readers: dict[str, Callable[[], object]] = {
        "home": lambda: microblog.timelines.home(viewer, Page(limit=20)),
        "home without the feed": lambda: microblog.timelines.home_from_posts(
            viewer, Page(limit=20)
        ),
        "public": lambda: microblog.timelines.public(viewer, Page(limit=20)),
    }
    for name, read in readers.items():
        read()  # compiles and caches the statements
        times = []
        for _ in range(20):
            started = time.perf_counter()
            read()
            times.append((time.perf_counter() - started) * 1000)
        with _captured(engine) as statements:
            read()
        say(
            f"{name} timeline, one page in-process: median {statistics.median(times):.1f} ms "
            f"of 20, {len(statements)} queries"
        )
        for sql, parameters in statements:
            _print_plan(engine, sql, parameters)


@contextmanager
def _captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, sql: str, parameters: Any, *rest: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            statements.append((sql, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _print_plan(engine: Engine, sql: str, parameters: Any) -> None:
    prefix = (
        "EXPLAIN QUERY PLAN "
        if engine.dialect.name == "sqlite"
        else "EXPLAIN (ANALYZE, COSTS OFF) "
    )
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + sql, parameters).all()
    print("  " + " ".join(sql.split())[:300])
    for row in rows:
        print("      " + str(row[-1]))


# (4) the server -----------------------------------------------------------------------------


@contextmanager
def _server(url: str, port: int, workers: int) -> Iterator[None]:
    data_dir = Path(tempfile.mkdtemp(prefix="townsquare-bench-"))
    with running_server(url, data_dir, port, workers, ready_path=PING) as log:
        say(f"server up: townsquare serve --port {port} --workers {workers} (log {log})")
        yield


# (5) load -----------------------------------------------------------------------------------


def _measure_all(args: argparse.Namespace, tokens: Sequence[str]) -> list[Measurement]:
    paths = {
        "ping": (PING, ()),
        "home": (f"{HOME}?limit={args.limit}", tokens),
        "public": (f"{PUBLIC}?limit={args.limit}", ()),
    }
    wanted = args.endpoints.split(",")
    server = f"http://127.0.0.1:{args.port}"
    results: list[Measurement] = []
    for name in wanted:
        path, auth = paths[name]
        run_wrk(server, path, auth, connections=args.connections, duration=3)  # warm-up
    for round_number in range(1, args.rounds + 1):
        for name in wanted:
            path, auth = paths[name]
            measured = run_wrk(
                server, path, auth, connections=args.connections, duration=args.duration, name=name
            )
            say(
                f"round {round_number} {name:<6} {measured.requests_per_second:8.0f} req/s  "
                f"p50 {measured.p50_ms:6.1f} ms  p99 {measured.p99_ms:6.1f} ms  "
                f"errors {measured.errors}"
            )
            results.append(measured)
    return results


def run_wrk(
    server: str,
    path: str,
    tokens: Sequence[str],
    *,
    connections: int,
    duration: int,
    name: str = "",
    timeout: int = 10,
    request: str = 'return wrk.format("GET", path, headers)',
) -> Measurement:
    """Load `server` + `path` with wrk (one thread, `connections` connections) for
    `duration` seconds, rotating `tokens` as bearer tokens (none: no Authorization); a
    request unanswered after `timeout` seconds counts as an error. `request` is the Lua
    that returns each request (it sees `path`, `headers` and the request's `counter`)."""
    script = _LUA % {
        "tokens": ", ".join(f'"{t}"' for t in tokens),
        "path": path,
        "request": request,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", f"{timeout}s",
        "-s", handle.name, server,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(handle.name)
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    seconds = data["duration_us"] / 1e6
    return Measurement(
        endpoint=name,
        requests_per_second=data["requests"] / seconds,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=data["socket_errors"] + data["non_2xx"],
    )


# (6) report ---------------------------------------------------------------------------------


def _report(results: Sequence[Measurement], url: str, args: argparse.Namespace) -> None:
    backend = make_url(url).get_backend_name()
    medians = {}
    for name in dict.fromkeys(r.endpoint for r in results):
        rounds = [r for r in results if r.endpoint == name]
        medians[name] = Measurement(
            endpoint=name,
            requests_per_second=statistics.median(r.requests_per_second for r in rounds),
            p50_ms=statistics.median(r.p50_ms for r in rounds),
            p99_ms=statistics.median(r.p99_ms for r in rounds),
            errors=sum(r.errors for r in rounds),
        )
    ceiling = medians["ping"].requests_per_second if "ping" in medians else None
    print(
        f"\nmedians of {args.rounds} rounds x {args.duration} s, {backend}, "
        f"{args.workers} workers, {args.connections} connections, {os.cpu_count()} cores"
    )
    for m in medians.values():
        ratio = f"{m.requests_per_second / ceiling:6.1%} of ping" if ceiling else ""
        print(
            f"  {m.endpoint:<7}{m.requests_per_second:8.0f} req/s  p50 {m.p50_ms:6.1f} ms  "
            f"p99 {m.p99_ms:6.1f} ms  errors {m.errors}  {ratio}"
        )
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    out = CACHE_DIR.parent / f"timelines-{backend}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(
        json.dumps(
            {
                "backend": backend,
                "arguments": vars(args) | {"database_url": backend},
                "rounds": [asdict(r) for r in results],
                "medians": {k: asdict(v) for k, v in medians.items()},
            },
            indent=2,
        )
    )
    print(f"results written to {out}")


if __name__ == "__main__":
    main()
