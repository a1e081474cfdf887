"""The scoring schedule: a background thread that runs the scorer every `period` seconds,
when a rating or a note was written since the last run (`ScoringRuns.is_due`).

Several servers on one database may each run one: the run's lease (`RunInProgressError`)
lets one score and the others skip the tick.
"""

from townsquare.kernel import PeriodicTask
from townsquare.notes._run_errors import RunInProgressError
from townsquare.notes._runs import RunSummary, ScoringRuns

__all__ = ["ScoringSchedule"]


class ScoringSchedule(PeriodicTask):
    """Runs `runs.run()` every `period` seconds when one is due. Errors are logged and the
    next tick tries again."""

    def __init__(self, runs: ScoringRuns, *, period: float) -> None:
        super().__init__("notes scoring", self.step, period=period)
        self._runs = runs

    def step(self) -> RunSummary | None:
        """One tick: a run if one is due and no other server is scoring; its summary."""
        if not self._runs.is_due():
            return None
        try:
            return self._runs.run()
        except RunInProgressError:
            return None
