"""Ledger write and read throughput: batched durable appends, a 1,000,000-entry build, tiles.

    .venv/bin/python bench/ledger.py                         # SQLite, everything
    .venv/bin/python bench/ledger.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench \
        --stages appends

Stages:
(1) appends — `rounds` times: append `entries` canonical entries in transactions of `batch`
    (one `append` per entry, or one `append_many` per transaction), then integrate them all
    (`integrate()` batches of 10,000, each one transaction that stores entries and tiles and
    signs a checkpoint). Reports
    appends/s over the whole (append + integrate) time: an entry counts once it is in a signed
    checkpoint. SQLite is measured as the server runs it (WAL, synchronous=NORMAL) and with
    synchronous=FULL (every commit fsynced).
(2) build — a 1,000,000-entry log, the same way, timed; the root is checked against a
    recomputation from the leaves.
(3) tiles — `townsquare serve --workers 2` over the built log, loaded with wrk (Debian's
    `wrk`): random full level-0 tiles, entry bundles, and the checkpoint. Loopback only.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from serving import fresh_database, running_server
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url

from townsquare.app import build_services
from townsquare.ledger import encode_entry, leaf_hash, root_hash
from townsquare.settings import Settings

_ENTRY_TYPE = "moderation.action"


def say(message: str) -> None:
    print(message, flush=True)


def _entry(number: int) -> bytes:
    # About the size of a real moderation entry: ids as strings, a policy clause, a reason.
    return encode_entry(
        _ENTRY_TYPE,
        1,
        {
            "action": "removal",
            "id": str(113_000_000_000_000_000 + number),
            "target": f"sha256:{number:064x}",
            "policy": "harassment",
            "policy_version": 3,
            "automated": False,
            "at": "2026-11-26T01:00:00Z",
        },
    )


def _settings(url: str, data_dir: Path, port: int) -> Settings:
    return Settings(data_dir=data_dir, database_url=url, base_url=f"http://127.0.0.1:{port}")


def _fsync_every_commit(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _full(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous=FULL")


def _append_and_integrate(
    url: str,
    data_dir: Path,
    count: int,
    batch: int,
    port: int,
    *,
    full_sync: bool = False,
    many: bool = False,
) -> float:
    """Seconds to append `count` entries in transactions of `batch` and integrate them."""
    services = build_services(_settings(url, data_dir, port))
    if full_sync:
        _fsync_every_commit(services.db.engine)
        services.db.engine.dispose()
    entries = [_entry(n) for n in range(count)]
    start_size = services.ledger.size()
    started = time.perf_counter()
    for first in range(0, count, batch):
        with services.db.write() as conn:
            if many:
                services.ledger.append_many(conn, entries[first : first + batch])
                continue
            for entry in entries[first : first + batch]:
                services.ledger.append(conn, entry)
    while services.ledger.integrate() is not None:
        pass
    elapsed = time.perf_counter() - started
    if services.ledger.size() != start_size + count:
        sys.exit(f"integrated {services.ledger.size() - start_size} of {count} entries")
    services.db.dispose()
    return elapsed


# (1) appends --------------------------------------------------------------------------------


def bench_appends(args: argparse.Namespace) -> dict[str, Any]:
    variants = [("append", False, False), ("append_many", False, True)]
    if not args.database_url:
        variants.append(("append, sync=FULL", True, False))
    results = {}
    for name, full_sync, many in variants:
        rates = []
        for round_number in range(1, args.rounds + 1):
            with _temporary_dir() as data_dir:
                url = fresh_database(args.database_url, data_dir)
                seconds = _append_and_integrate(
                    url,
                    data_dir,
                    args.entries,
                    args.batch,
                    args.port,
                    full_sync=full_sync,
                    many=many,
                )
            rates.append(args.entries / seconds)
            say(f"appends {name:<17} round {round_number}: {rates[-1]:9.0f} entries/s")
        results[name] = {"median_per_second": statistics.median(rates), "rounds": rates}
    return results


# (2) build ----------------------------------------------------------------------------------


def bench_build(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    url = fresh_database(args.database_url, data_dir)
    seconds = _append_and_integrate(url, data_dir, args.build, args.batch, args.port)
    services = build_services(_settings(url, data_dir, args.port))
    expected = root_hash([leaf_hash(_entry(n)) for n in range(args.build)])
    if services.ledger.checkpoint().root_hash != expected:
        sys.exit("the built log's root differs from the recomputed root")
    with services.db.read() as conn:
        tile_rows = conn.execute(text("SELECT count(*) FROM ledger_tiles")).scalar_one()
    services.db.dispose()
    say(f"build {args.build:,} entries: {seconds:.1f} s, {args.build / seconds:,.0f} entries/s")
    return {"entries": args.build, "seconds": seconds, "tile_rows": tile_rows, "url": url}


# (3) tiles ----------------------------------------------------------------------------------

_LUA = """
math.randomseed(os.time())
local function index_path(n)
  local groups = {string.format("%%03d", n %% 1000)}
  n = math.floor(n / 1000)
  while n > 0 do
    table.insert(groups, 1, string.format("x%%03d", n %% 1000))
    n = math.floor(n / 1000)
  end
  return table.concat(groups, "/")
end
request = function()
  if %(tiles)d == 0 then return wrk.format("GET", "%(prefix)s") end
  return wrk.format("GET", "%(prefix)s" .. index_path(math.random(0, %(tiles)d - 1)))
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"p50_us\\": %%d, "
    .. "\\"p99_us\\": %%d, \\"errors\\": %%d}\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status))
end
"""


def bench_tiles(args: argparse.Namespace, built: dict[str, Any], data_dir: Path) -> dict[str, Any]:
    full_tiles = built["entries"] // 256
    targets = {
        "level-0 tile": ("/ledger/tile/0/", full_tiles),
        "entry bundle": ("/ledger/tile/entries/", full_tiles),
        "checkpoint": ("/ledger/checkpoint", 0),
    }
    results: dict[str, Any] = {}
    with _server(built["url"], data_dir, args.port, args.workers):
        for name, (prefix, tiles) in targets.items():
            _wrk(args, prefix, tiles, duration=2)  # warm-up
            rounds = [_wrk(args, prefix, tiles, duration=args.duration) for _ in range(args.rounds)]
            median = statistics.median(r["per_second"] for r in rounds)
            say(f"tiles {name:<13} {median:8.0f} req/s  p99 {rounds[0]['p99_ms']:.1f} ms")
            results[name] = {"median_per_second": median, "rounds": rounds}
    return results


def _wrk(args: argparse.Namespace, prefix: str, tiles: int, *, duration: int) -> dict[str, Any]:
    script = _LUA % {"prefix": prefix, "tiles": tiles}  # tiles 0: the prefix is the path
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = [
        "wrk", "-t1", f"-c{args.connections}", f"-d{duration}s", "--timeout", "10s",
        "-s", handle.name, f"http://127.0.0.1:{args.port}",
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(handle.name)
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    return {
        "per_second": data["requests"] / (data["duration_us"] / 1e6),
        "p50_ms": data["p50_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "errors": data["errors"],
    }


@contextmanager
def _server(url: str, data_dir: Path, port: int, workers: int) -> Iterator[None]:
    with running_server(url, data_dir, port, workers, ready_path="/ledger/checkpoint"):
        yield


@contextmanager
def _temporary_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="townsquare-ledger-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--stages", default="appends,build,tiles")
    parser.add_argument("--entries", type=int, default=100_000, help="entries per append round")
    parser.add_argument("--batch", type=int, default=1_000, help="entries per transaction")
    parser.add_argument("--build", type=int, default=1_000_000, help="entries in the built log")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk round")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    args = parser.parse_args()
    stages = args.stages.split(",")
    backend = make_url(args.database_url or "sqlite://").get_backend_name()
    report: dict[str, Any] = {"date": datetime.now(UTC).isoformat(), "backend": backend}
    if "appends" in stages:
        report["appends"] = bench_appends(args)
    if "build" in stages or "tiles" in stages:
        with _temporary_dir() as data_dir:
            report["build"] = bench_build(args, data_dir)
            if "tiles" in stages:
                report["tiles"] = bench_tiles(args, report["build"], data_dir)
    report["build"] = {k: v for k, v in report.get("build", {}).items() if k != "url"}
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (results / f"ledger-{backend}-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    say(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
