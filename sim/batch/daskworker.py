"""Start-up of the workers of a `--executor dask-local` cluster (a Dask preload module).

Ctrl-C at a terminal reaches the whole process group, the cluster's worker processes too:
each would die printing a KeyboardInterrupt traceback. The batch's own process handles Ctrl-C
(it stops the batch, writes what is done and closes the cluster), so its workers ignore it,
as the local process pool's workers do (``sim.batch.runner.ignore_interrupts``).
"""

from __future__ import annotations

import signal


def dask_setup(worker: object) -> None:
    """Called by Dask in the worker process's main thread as the worker starts."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
