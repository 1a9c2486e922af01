"""Play the Lambda runtime in process: a function's environment, handler and context.

Each function's module is imported once (like a warm container) with its own environment
from the template, and its stdout (Powertools logs and metrics) goes to stderr so that the
command's stdout stays the records.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from .cloud import Stack
from .template import ACCOUNT, NO_VALUE, REGION, Function

#: Set on every local invocation: no X-Ray daemon, and logs stay readable by default.
LOCAL_ENVIRONMENT = {
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_DEV": "false",
}


@dataclass
class LambdaContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int
    timeout_seconds: int
    function_version: str = "$LATEST"

    def __post_init__(self) -> None:
        self.invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.function_name}"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + self.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@contextlib.contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(variables)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


#: Loaded handlers by function and environment: like a warm container, a second local
#: stack with the same (deterministic) resource names reuses the module and its model.
_WARM: dict[tuple[str, tuple[tuple[str, str], ...]], ModuleType] = {}


class LocalFunction:
    """One function of the template, loaded once and invoked many times."""

    def __init__(
        self, function: Function, stack: Stack, log_level: str | None = None, environment: dict[str, str] | None = None
    ) -> None:
        self.function = function
        resolved = {key: stack.resolver.resolve(value) for key, value in function.environment.items()}
        self.environment = {key: str(value) for key, value in resolved.items() if value is not NO_VALUE}
        self.environment.update(LOCAL_ENVIRONMENT)
        self.environment.update(environment or {})  # settings a test or tool plays with
        self.environment["AWS_LAMBDA_FUNCTION_NAME"] = function.logical_id
        if log_level:
            self.environment["POWERTOOLS_LOG_LEVEL"] = log_level
            # A quiet run prints no metrics either (they are EMF log lines on Lambda).
            if log_level.upper() in {"WARNING", "ERROR", "CRITICAL"}:
                self.environment["POWERTOOLS_METRICS_DISABLED"] = "true"
                # Powertools warns of an empty metric set even when metrics are disabled
                # (a batch with nothing to count, S3's test event); with none published it
                # says nothing. The filter Powertools' docs give for exactly this.
                warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)
        self._module: ModuleType | None = None

    @property
    def name(self) -> str:
        return self.function.logical_id

    def _import(self) -> ModuleType:
        module_name = self.function.handler.rsplit(".", 1)[0]
        path = self.function.code_uri / f"{module_name.replace('.', '/')}.py"
        # Every function's module is called app.py: give each its own name in sys.modules.
        spec = importlib.util.spec_from_file_location(f"_local_{self.name}_{module_name}", path)
        if spec is None or spec.loader is None:
            raise FileNotFoundError(path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module

    def module(self) -> ModuleType:
        """The handler's module, imported (once, with the function's environment) if need be."""
        if self._module is None:
            with _environment(self.environment), contextlib.redirect_stdout(sys.__stderr__):
                warm_key = (self.name, tuple(sorted(self.environment.items())))
                if warm_key not in _WARM:
                    _WARM[warm_key] = self._import()
                self._module = _WARM[warm_key]
        return self._module

    def invoke(self, event: dict[str, Any]) -> Any:
        # The process's own stderr, not whatever sys.stderr is now: Powertools' Logger keeps
        # the stream it was created with, and a warm module outlives any temporary stream.
        handler = getattr(self.module(), self.function.handler.rsplit(".", 1)[1])
        with _environment(self.environment), contextlib.redirect_stdout(sys.__stderr__):
            context = LambdaContext(self.name, self.function.memory, self.function.timeout)
            try:
                return handler(event, context)
            finally:
                if self.environment.get("POWERTOOLS_METRICS_DISABLED") == "true":
                    # Disabled metrics are never flushed, and Powertools prints a metric's
                    # values anyway once it holds 100 of them: drop them after each call.
                    from aws_lambda_powertools import Metrics

                    Metrics().clear_metrics()


def load_functions(
    stack: Stack, log_level: str | None = None, environment: dict[str, str] | None = None
) -> dict[str, LocalFunction]:
    return {name: LocalFunction(fn, stack, log_level, environment) for name, fn in stack.template.functions().items()}
