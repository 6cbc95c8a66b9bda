"""Executors: who runs the model. The model and the design do not know which one is used.

Every command (compare, report, sweep, sensitivity, calibrate, validate) runs its
:class:`experiments.runs.RunSpec` specs with :func:`experiments.runs.run` on one of these; no
other module starts processes.

Every executor has one method, ``map(fn, items)``, which yields ``(index, fn(items[index]))``
as results arrive (in any order), and ``close()``. ``fn`` must be a module-level function and
``items`` picklable, so the same call works in this process, in a local process pool and on a
Dask cluster:

- :class:`SerialExecutor`: in this process, one after another (``--workers 1``);
- :class:`PoolExecutor`: a local process pool (the default: :func:`default_workers` processes,
  one per core, at most 8; optionally with a memory limit per worker);
- :class:`DaskExecutor`: a Dask ``distributed`` scheduler (``--scheduler tcp://HOST:PORT`` or a
  scheduler file), e.g. started on Slurm with dask-jobqueue (see docs/researchers.md).

Results come back to the calling process, which alone writes files: workers need no shared
file system.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Self

from sim.errors import InputError


def default_workers() -> int:
    """Worker processes when none are asked for: one per core, at most 8 (each run holds a model)."""
    return max(1, min(os.cpu_count() or 1, 8))


class Executor:
    """Base class: ``map`` yields (index, result) pairs; ``close`` frees resources."""

    description = "executor"
    workers = 1

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class SerialExecutor(Executor):
    """Run in this process, in order."""

    description = "serial"

    def map(self, fn, items):
        for i, item in enumerate(items):
            yield i, fn(item)


def _die_with_parent(parent: int) -> None:
    """End this worker when the process that started it ends, even by ``kill -9``.

    Linux: the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``);
    elsewhere a daemon thread checks every second whether the worker has been orphaned.
    """
    if os.getppid() != parent:  # the parent died before we got here
        os._exit(1)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # PR_SET_PDEATHSIG = 1
            if os.getppid() != parent:
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _init_worker(memory_limit: int | None = None, parent: int | None = None) -> None:
    # Ctrl-C goes to the whole process group; the parent handles it and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        _die_with_parent(parent)
    if memory_limit:
        # an address-space limit: a runaway run fails alone instead of exhausting the machine
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        except (ImportError, ValueError, OSError):
            pass


class PoolExecutor(Executor):
    """A local process pool that keeps a few tasks per worker in flight.

    ``memory_limit`` (bytes): each worker's address-space limit (calibration and validation).
    """

    def __init__(self, workers: int | None = None, memory_limit: int | None = None):
        self.workers = workers or default_workers()
        self.memory_limit = memory_limit
        self.description = f"process pool ({self.workers} workers)"
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("fork") if os.name == "posix" else None
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=ctx,
                initializer=_init_worker,
                initargs=(self.memory_limit, os.getpid()),
            )
        return self._pool

    def map(self, fn, items):
        pool = self._get_pool()
        window = 2 * self.workers
        queue = iter(enumerate(items))
        running: dict = {}
        try:
            while True:
                while len(running) < window:
                    nxt = next(queue, None)
                    if nxt is None:
                        break
                    running[pool.submit(fn, nxt[1])] = nxt[0]
                if not running:
                    return
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = running.pop(fut)
                    yield i, fut.result()
        except BaseException:
            self._terminate()
            raise

    def _terminate(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        procs = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(timeout=5)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


class DaskExecutor(Executor):
    """Submit to a Dask ``distributed`` scheduler; lost workers' tasks are rerun by the scheduler."""

    def __init__(
        self, address: str | None = None, client: Any = None, timeout: float | None = None
    ):
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - distributed is a dependency
            raise InputError(
                "--scheduler needs the 'distributed' package (pip install distributed)"
            ) from None
        if client is None:
            if address is None:
                raise InputError(
                    "--scheduler: give a scheduler address (tcp://HOST:PORT) or a scheduler file"
                )
            kwargs: dict[str, Any] = {"address": scheduler_address(address)}
            if timeout is not None:  # default: dask's distributed.comm.timeouts.connect
                kwargs["timeout"] = timeout
            try:
                client = _quiet_client(Client, kwargs)
            except (OSError, TimeoutError, ValueError, AssertionError) as exc:
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise InputError(
                    f"--scheduler: cannot reach a Dask scheduler at {address} ({first[:200]})"
                ) from None
            self._own = True
        else:
            self._own = False
        self.client = client
        self.description = f"dask ({client.scheduler.address})"
        self.workers = max(1, sum(client.nthreads().values()))  # threads on the cluster now

    def map(self, fn, items):
        from distributed import as_completed

        futures = {}
        for i, item in enumerate(items):
            futures[self.client.submit(fn, item, pure=False)] = i
        try:
            for fut in as_completed(futures):
                i = futures.pop(fut)
                result = fut.result()
                fut.release()
                yield i, result
        finally:
            if futures:
                self.client.cancel(list(futures))

    def close(self) -> None:
        if self._own:
            self.client.close()


SCHEMES = ("tcp", "tls", "ws", "wss")
_ALLOWED = "give tcp://HOST:PORT (or tls://, ws://, wss://), HOST:PORT or a scheduler file"


def _host_port(text: str, address: str) -> None:
    host, sep, port = text.rpartition(":")
    if not sep or not host.strip("[]") or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError(f"--scheduler: '{address}' is not a scheduler address ({_ALLOWED})")


def scheduler_address(address: str) -> str:
    """The address of the scheduler ``address`` names (itself, or read from a scheduler file),
    checked for form only; anything else is one :class:`InputError` line."""
    address = address.strip()
    if "://" in address:
        scheme, _, rest = address.partition("://")
        if scheme not in SCHEMES:
            raise InputError(
                f"--scheduler: '{address}' is not a scheduler address, scheme '{scheme}://' is "
                f"not supported ({_ALLOWED})"
            )
        _host_port(rest.rstrip("/"), address)
        return address
    path = Path(address)
    try:
        is_file = path.is_file()
    except OSError:
        is_file = False
    if is_file:
        import json

        from sim.guards import read_text

        text = read_text(path, "--scheduler")
        try:
            found = json.loads(text).get("address") if text.strip() else None
        except (json.JSONDecodeError, AttributeError):
            found = None
        if not isinstance(found, str) or not found:
            raise InputError(
                f"--scheduler: scheduler file '{path}' holds no scheduler address "
                '(expected JSON with "address": "tcp://HOST:PORT", as dask writes it)'
            )
        return scheduler_address(found)
    _host_port(address, address)
    return address


def _quiet_client(client_class, kwargs: dict):
    """A Dask client; the log lines of a failed connection are not printed (one error line)."""
    import logging

    loggers = [logging.getLogger(n) for n in ("distributed", "distributed.client")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        return client_class(**kwargs)
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def make_executor(
    workers: int | None = None, scheduler: str | None = None, memory_limit: int | None = None
) -> Executor:
    """The executor the command line asks for: Dask with ``scheduler``, else a pool or serial.

    ``memory_limit``: per-worker address-space limit of a local pool (bytes).
    """
    if scheduler:
        return DaskExecutor(scheduler)
    workers = workers or default_workers()
    return SerialExecutor() if workers <= 1 else PoolExecutor(workers, memory_limit)
