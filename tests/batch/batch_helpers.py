"""Shared paths and recipes for the batch tests (a plain module: conftest names clash)."""

from __future__ import annotations

from pathlib import Path

from sim.batch.recipe import Recipe, recipe_from_files

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "scenarios" / "quickstart.yaml"
BOOKS = ROOT / "scenarios" / "playbooks"
COOPERATE = BOOKS / "quickstart--cooperate.yaml"
ALONE = BOOKS / "quickstart--go-it-alone.yaml"


def quick_recipe() -> Recipe:
    """Two playbooks and the random decider on quickstart, 60 runs."""
    return recipe_from_files(QUICKSTART, [COOPERATE, ALONE], runs=60, seed=5, random_decider=True)
