"""An executor that runs each step of a run as a task on an existing Dask cluster.

Built on Dagster's step-delegating executor, the machinery of ``k8s_job_executor``: the run's
process orchestrates, and each step runs as ``dagster api execute_step`` in a fresh subprocess
on whichever Dask worker the scheduler picks. So dynamic outputs (the feature shards), op retry
policies and pools work as on Kubernetes. (dagster-dask's executor plans every step up front,
so it cannot run dynamic outputs, and it does not retry.)

Workers need the project installed (the same image as the code location) and the same storage
root and Dagster instance settings in their environment: steps exchange values through the
storage root and record their events in the instance.

Dagster alone retries: tasks are submitted without Dask-level retries, and a task Dask lost
(its worker died) fails its step, which the step's retry policy may then run again. The step
handler leans on Dagster's step-delegating executor, which is not public API: ``pyproject.toml``
caps Dagster to the minor version the executor tests run on.
"""

import subprocess
import sys
from collections.abc import Iterator

import dagster as dg
from dagster._core.definitions.executor_definition import multiple_process_executor_requirements
from dagster._core.events import DagsterEvent
from dagster._core.execution.retries import RetryMode, get_retries_config
from dagster._core.executor.step_delegating import (
    CheckStepHealthResult,
    StepDelegatingExecutor,
    StepHandler,
    StepHandlerContext,
)

#: How much of a failed step process's output is reported.
OUTPUT_TAIL = 4000
#: Seconds to wait for the Dask scheduler before the run fails.
DEFAULT_CONNECT_TIMEOUT = 30


def run_step(arguments: list[str]) -> tuple[int, str]:
    """Run ``dagster api execute_step ARGUMENTS`` with the worker's Python: exit code and output tail."""
    command = [sys.executable, "-m", "dagster", "api", "execute_step", *arguments]
    process = subprocess.run(command, capture_output=True, text=True, check=False)
    return process.returncode, (process.stdout + process.stderr)[-OUTPUT_TAIL:]


def step_health(step_key: str, status: str, result: tuple[int, str] | None = None) -> CheckStepHealthResult:
    """The health of a step from its Dask future's ``status`` (and, once finished, ``result``:
    the step process's exit code and output tail)."""
    if status == "pending":
        return CheckStepHealthResult.healthy()
    if status == "lost":
        return CheckStepHealthResult.unhealthy(f"Dask lost the task of step {step_key} (its worker died)")
    if status != "finished":
        return CheckStepHealthResult.unhealthy(f"the Dask task of step {step_key} was {status}")
    code, output = result or (1, "")
    if code != 0:
        return CheckStepHealthResult.unhealthy(f"step {step_key} exited with code {code}:\n{output}")
    return CheckStepHealthResult.healthy()


class DaskStepHandler(StepHandler):
    """Launches each step as a task on the Dask scheduler at ``address``, connecting within
    ``connect_timeout`` seconds."""

    def __init__(self, address: str, connect_timeout: float = DEFAULT_CONNECT_TIMEOUT):
        self._address = address
        self._connect_timeout = connect_timeout
        self._client = None
        self._futures: dict[str, object] = {}

    @property
    def name(self) -> str:
        return "DaskStepHandler"

    def _step_key(self, context: StepHandlerContext) -> str:
        (step_key,) = context.execute_step_args.step_keys_to_execute or [None]
        return step_key

    def _task_key(self, context: StepHandlerContext, step_key: str) -> str:
        attempt = context.execute_step_args.known_state.get_retry_state().get_attempt_count(step_key)
        return f"dagster-{context.dagster_run.run_id}-{step_key}-{attempt}"

    def launch_step(self, step_handler_context: StepHandlerContext) -> Iterator[DagsterEvent]:
        from distributed import Client

        if self._client is None:
            self._client = Client(self._address, timeout=self._connect_timeout)
        step_key = self._step_key(step_handler_context)
        command = list(step_handler_context.execute_step_args.get_command_args())
        arguments = command[command.index("execute_step") + 1 :]  # the worker's Python runs them
        task = self._task_key(step_handler_context, step_key)
        self._futures[step_key] = self._client.submit(run_step, arguments, key=task, pure=False, retries=0)
        yield DagsterEvent.step_worker_starting(
            step_handler_context.get_step_context(step_key),
            message=f'Executing step "{step_key}" as Dask task {task} on {self._address}.',
            metadata={"Dask task": task},
        )

    def check_step_health(self, step_handler_context: StepHandlerContext) -> CheckStepHealthResult:
        step_key = self._step_key(step_handler_context)
        future = self._futures.get(step_key)
        if future is None:
            return CheckStepHealthResult.healthy()
        if future.status == "error":
            return CheckStepHealthResult.unhealthy(f"the Dask task of step {step_key} failed: {future.exception()!r}")
        return step_health(step_key, future.status, future.result() if future.status == "finished" else None)

    def terminate_step(self, step_handler_context: StepHandlerContext) -> Iterator[DagsterEvent]:
        future = self._futures.pop(self._step_key(step_handler_context), None)
        if future is not None:
            future.cancel()
        yield from ()

    def close(self) -> None:
        """Disconnect from the scheduler (the run is over)."""
        if self._client is not None:
            self._client.close()
            self._client = None
        self._futures.clear()


class DaskExecutor(StepDelegatingExecutor):
    """The step-delegating executor, disconnecting from Dask when the run's steps are done."""

    def __init__(self, step_handler: DaskStepHandler, **options):
        super().__init__(step_handler, **options)
        self._dask = step_handler

    def execute(self, plan_context, execution_plan) -> Iterator[DagsterEvent]:
        try:
            yield from super().execute(plan_context, execution_plan)
        finally:
            self._dask.close()


@dg.executor(
    name="dask",
    config_schema={
        "address": dg.Field(dg.StringSource, description="The Dask scheduler, e.g. tcp://dask-scheduler:8786."),
        "max_concurrent": dg.Field(int, is_required=False, description="Most steps of a run at once."),
        "connect_timeout": dg.Field(
            float, default_value=DEFAULT_CONNECT_TIMEOUT, description="Seconds to wait for the scheduler."
        ),
        "retries": get_retries_config(),
    },
    requirements=multiple_process_executor_requirements(),
)
def dask_executor(init_context: dg.InitExecutorContext) -> dg.Executor:
    """Runs every step of a run as a task on an existing Dask cluster (``distributed``)."""
    config = init_context.executor_config
    return DaskExecutor(
        DaskStepHandler(config["address"], config["connect_timeout"]),
        retries=RetryMode.from_config(config["retries"]),
        max_concurrent=config.get("max_concurrent"),
    )
