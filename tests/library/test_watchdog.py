import re
import threading
import time

import pytest

from article_pipeline.errors import BadInputError
from article_pipeline.watchdog import Budget, Deadline, OutOfTime, TooSlowError


class Context:
    def __init__(self, remaining_ms: int) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def test_the_timer_interrupts_python_code():
    started = time.monotonic()
    with pytest.raises(TooSlowError) as caught:
        with Budget(0.2).enforced():
            while True:
                pass
    assert time.monotonic() - started < 2
    assert isinstance(caught.value, BadInputError) and caught.value.kind == "too_slow"


def test_the_timer_interrupts_a_backtracking_regex():
    with pytest.raises(TooSlowError):
        with Budget(0.3).enforced():
            re.match(r"(a+)+$", "a" * 40 + "b")


def test_the_timer_is_removed_after_the_block():
    with Budget(0.2).enforced():
        pass
    time.sleep(0.4)  # no alarm left behind


def test_outside_the_main_thread_only_checks_apply():
    outcome = {}

    def work():
        budget = Budget(0.1)
        with budget.enforced():
            time.sleep(0.3)  # no timer in this thread
        try:
            budget.check()
        except TooSlowError as error:
            outcome["error"] = error

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert isinstance(outcome.get("error"), TooSlowError)


def test_each_article_gets_its_share_of_the_invocation():
    deadline = Deadline.from_context(Context(30_000), reserve_ms=10_000, share=0.5)
    assert deadline.total == pytest.approx(20, abs=0.1)
    budget = deadline.budget()
    assert budget.own and budget.seconds == pytest.approx(10, abs=0.1)


def test_an_article_started_late_runs_out_of_the_invocations_time_not_its_own():
    deadline = Deadline(at=time.monotonic() + 1, total=20, share=0.5)
    budget = deadline.budget()
    assert not budget.own and budget.seconds <= 1
    assert isinstance(budget.exceeded(), OutOfTime) and not isinstance(budget.exceeded(), BadInputError)


def test_no_time_at_all_is_never_the_articles_fault():
    deadline = Deadline.from_context(Context(5_000), reserve_ms=10_000)
    with pytest.raises(OutOfTime):
        deadline.budget().check()


def test_a_plain_call_has_no_deadline():
    assert Deadline.from_context(None, reserve_ms=10_000) is None


def test_capped_budget_is_the_works_own():
    budget = Deadline(at=time.monotonic() + 100, total=100, share=0.5).budget().capped(1.0)
    assert budget.own and budget.seconds == 1.0
