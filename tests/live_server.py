"""Real servers for tests over real HTTP: an ASGI app under uvicorn on a free loopback port,
or `townsquare serve` itself in a process of its own (granian and its workers)."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
import uvicorn

__all__ = ["ServedTownsquare", "free_port_socket", "serve_asgi", "serve_townsquare", "wait_for"]


def free_port_socket() -> tuple[socket.socket, str]:
    """A socket bound to a port the OS picked on 127.0.0.1, and the URL it will answer on
    (for apps that must know their own URL before they are built)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextmanager
def serve_asgi(
    app: Any,
    *,
    sock: socket.socket | None = None,
    lifespan: Literal["on", "off"] = "off",
) -> Iterator[str]:
    """Run `app` in a background thread until the block ends; yield its base URL."""
    if sock is None:
        sock, url = free_port_socket()
    else:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan=lifespan))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start within 15 s")
        time.sleep(0.02)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@dataclass(frozen=True)
class ServedTownsquare:
    """A `townsquare serve` process: where it answers, and where its output goes."""

    url: str
    log: Path
    process: "subprocess.Popen[bytes]"


def wait_for(what: str, ready: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.1)


@contextmanager
def serve_townsquare(
    environ: dict[str, str], log: Path, *, workers: int = 1, port: int | None = None
) -> Iterator[ServedTownsquare]:
    """`townsquare serve` on a free port (or `port`) with `environ` added to this process's
    environment (TOWNSQUARE_* settings), until the block ends; its output goes to `log`."""
    if port is None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
    command = [sys.executable, "-m", "townsquare.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, env={**os.environ, **environ}, stdout=out, stderr=subprocess.STDOUT
        )
    served = ServedTownsquare(f"http://127.0.0.1:{port}", log, process)
    try:
        wait_for(f"the server on port {port} ({log})", lambda: _answers(served.url))
        yield served
    finally:
        for child in _children(process.pid):  # granian's workers, if they outlive it
            _kill(child)
        process.terminate()
        process.wait(timeout=15)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/v1/townsquare/ping", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _children(pid: int) -> list[int]:
    listed = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True)
    return [int(word) for word in listed.stdout.split()]


def _kill(pid: int) -> None:
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
