"""A background thread that does one step of work every `period` seconds."""

import logging
import threading
from collections.abc import Callable

__all__ = ["PeriodicTask"]

_log = logging.getLogger(__name__)


class PeriodicTask:
    """Calls `step()` every `period` seconds, in a daemon thread named `name`, from
    `start()` until `stop()`. A step that raises is logged and the next tick tries again:
    the thread MUST NOT die while the server runs. Steps never overlap."""

    def __init__(self, name: str, step: Callable[[], object], *, period: float) -> None:
        self._name = name
        self._step = step
        self._period = period
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stopping.wait(self._period):
            try:
                self._step()
            except Exception:
                _log.exception("%s failed; retrying at the next tick", self._name)
