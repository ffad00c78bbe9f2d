"""Monte Carlo batches: many runs of a scenario under one or more policies, tallied as they
stream in, on this machine or a Dask cluster (see docs/batches.md)."""

from sim.batch.recipe import RANDOM, PolicyText, Recipe, recipe_from_files
from sim.batch.runner import BatchResult, run_batch

__all__ = ["RANDOM", "BatchResult", "PolicyText", "Recipe", "recipe_from_files", "run_batch"]
