"""PeriodicTask: steps keep coming after one fails, and stop() ends the thread."""

import threading

import pytest

from townsquare.kernel import PeriodicTask


def test_a_failing_step_is_logged_and_the_next_tick_runs(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[int] = []
    third = threading.Event()

    def step() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("first tick fails")
        if len(calls) == 3:
            third.set()

    task = PeriodicTask("test task", step, period=0.01)
    task.start()
    assert third.wait(5)
    task.stop()
    stopped_at = len(calls)

    assert third.is_set()
    assert "test task failed; retrying at the next tick" in caplog.text
    assert not any(t.name == "test task" for t in threading.enumerate())
    assert len(calls) == stopped_at  # nothing runs after stop()
