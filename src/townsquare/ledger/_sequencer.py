"""The sequencer thread: integrates queued entries in batches and re-signs an idle log.

Like Sunlight, it collects for a short period (200 ms) and then integrates everything queued
in one transaction per batch, so throughput is bounded by commits, not by entries. Several
processes may each run one: only the one holding the lead (`_leadership.py`) works, and
`LedgerLog.integrate` serialises any other caller.
"""

import logging
import threading
import time
from collections.abc import Callable

from townsquare.ledger._checkpoint import Checkpoint
from townsquare.ledger._leadership import Leadership, SoleLeadership
from townsquare.ledger._log import LedgerLog

__all__ = ["Sequencer"]

_log = logging.getLogger(__name__)


class Sequencer:
    """Runs `log.integrate()` every `period` seconds and `log.resign()` every
    `resign_seconds` without new entries, while it holds `leadership` (always, by default);
    `on_checkpoint` hears of each signed checkpoint (the witness submitter). Errors are
    logged and retried at the next tick: the thread MUST NOT die while the server runs."""

    def __init__(
        self,
        log: LedgerLog,
        *,
        period: float = 0.2,
        resign_seconds: float = 60.0,
        on_checkpoint: Callable[[Checkpoint], None] | None = None,
        leadership: Leadership | None = None,
    ) -> None:
        self._log = log
        self._leadership = leadership or SoleLeadership()
        self._period = period
        self._resign_seconds = resign_seconds
        self._on_checkpoint = on_checkpoint
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_signed = float("-inf")

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="ledger-sequencer", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current step (a batch is never left half-integrated: it is one
        transaction)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def step(self) -> Checkpoint | None:
        """One tick: integrate until the queue is empty, else re-sign when it is time."""
        signed = None
        while (checkpoint := self._log.integrate()) is not None:
            signed = checkpoint
            self._announce(checkpoint)
        if signed is None and time.monotonic() - self._last_signed >= self._resign_seconds:
            signed = self._log.resign()
            self._announce(signed)
        return signed

    def _announce(self, checkpoint: Checkpoint) -> None:
        self._last_signed = time.monotonic()
        if self._on_checkpoint is not None:
            self._on_checkpoint(checkpoint)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                if self._leadership.holds():
                    self.step()
            except Exception:
                _log.exception("ledger sequencer step failed; retrying")
            self._stopping.wait(self._period)
        self._leadership.release()
