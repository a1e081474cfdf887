"""The scoring schedule: a background thread that runs the scorer every `period` seconds,
when a rating or a note was written since the last run (`ScoringRuns.is_due`).

Several servers on one database may each run one: the run's lease (`RunInProgressError`)
lets one score and the others skip the tick.
"""

import logging
import threading

from townsquare.notes._run_errors import RunInProgressError
from townsquare.notes._runs import RunSummary, ScoringRuns

__all__ = ["ScoringSchedule"]

_log = logging.getLogger(__name__)


class ScoringSchedule:
    """Runs `runs.run()` every `period` seconds when one is due. Errors are logged and the
    next tick tries again: the thread MUST NOT die while the server runs."""

    def __init__(self, runs: ScoringRuns, *, period: float) -> None:
        self._runs = runs
        self._period = period
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._loop, name="notes-scoring", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def step(self) -> RunSummary | None:
        """One tick: a run if one is due and no other server is scoring; its summary."""
        if not self._runs.is_due():
            return None
        try:
            return self._runs.run()
        except RunInProgressError:
            return None

    def _loop(self) -> None:
        while not self._stopping.wait(self._period):
            try:
                self.step()
            except Exception:
                _log.exception("notes scoring run failed; retrying at the next tick")
