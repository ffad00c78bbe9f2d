"""Where the source documents (the seeds) behind the bundled scenarios live, if anywhere.

The quote tests compare every cited quote with its seed document. They must fail, not skip,
wherever the seeds are present, so this looks in every place a checkout may find them:
``TABLETOP_SEEDS`` if set (then it must exist), ``seeds/`` or ``tests/data/seeds/`` in the
repository, ``shared/seeds`` beside the repository or beside its parent (a worktree under
``wt/``), and ``/work/shared/seeds``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CANDIDATES: tuple[Path, ...] = (
    ROOT / "seeds",
    ROOT / "tests" / "data" / "seeds",
    ROOT.parent / "shared" / "seeds",
    ROOT.parent.parent / "shared" / "seeds",
    Path("/work/shared/seeds"),
)


def seeds_dir() -> Path | None:
    """The first directory that holds the seeds, or None when no checkout has them."""
    configured = os.environ.get("TABLETOP_SEEDS")
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise AssertionError(f"TABLETOP_SEEDS={configured} is not a directory")
        return path
    return next((c for c in CANDIDATES if c.is_dir()), None)


def absent_reason() -> str:
    """Why the quote check is skipped: the places looked at."""
    looked = ", ".join(str(c) for c in CANDIDATES)
    return f"seed documents not found (set TABLETOP_SEEDS, or put them in one of: {looked})"
