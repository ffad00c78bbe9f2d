"""Monte Carlo batches: many runs of a scenario under one or more policies, tallied as they
stream in, on this machine or a Dask cluster (see docs/batches.md).

The names below are loaded on first use, so importing ``sim.batch.cli`` (for `tabletop
--help`) does not import the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.batch.recipe import RANDOM, PolicyText, Recipe, recipe_from_files
    from sim.batch.runner import BatchResult, run_batch

_WHERE = {
    "RANDOM": "sim.batch.recipe",
    "PolicyText": "sim.batch.recipe",
    "Recipe": "sim.batch.recipe",
    "recipe_from_files": "sim.batch.recipe",
    "BatchResult": "sim.batch.runner",
    "run_batch": "sim.batch.runner",
}

__all__ = ["RANDOM", "BatchResult", "PolicyText", "Recipe", "recipe_from_files", "run_batch"]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'sim.batch' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)
