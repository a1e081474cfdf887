"""The server's background thread that runs the automated rules on the outbox."""

from townsquare.kernel import PeriodicTask
from townsquare.moderation.rules._runner import RuleRunner

__all__ = ["RuleWorker"]


class RuleWorker(PeriodicTask):
    """`runner.run_once()` every `period` seconds. A failed run is logged and the next tick
    tries again (the events wait in the outbox); it never holds up a write."""

    def __init__(self, runner: RuleRunner, *, period: float) -> None:
        super().__init__("automated rules", runner.run_once, period=period)
