"""Real servers for tests over real HTTP: an ASGI app under uvicorn on a free loopback port."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import uvicorn

__all__ = ["free_port_socket", "serve_asgi"]


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
