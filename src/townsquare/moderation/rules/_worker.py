"""The server's background thread that runs the automated rules on the outbox."""

import logging
import threading

from townsquare.moderation.rules._runner import RuleRunner

__all__ = ["RuleWorker"]

_log = logging.getLogger(__name__)


class RuleWorker:
    """The server's background thread: `runner.run_once()` every `period` seconds. Errors
    are logged and the next tick tries again (the events wait in the outbox): the thread
    MUST NOT die while the server runs, and never holds up a write."""

    def __init__(self, runner: RuleRunner, *, period: float) -> None:
        self._runner = runner
        self._period = period
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._loop, name="rules", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stopping.wait(self._period):
            try:
                self._runner.run_once()
            except Exception:
                _log.exception("automated rules run failed; retrying at the next tick")
