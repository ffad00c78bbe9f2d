"""Where the session store lives: --store PATH, else TABLETOP_STORE, else the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "TABLETOP_STORE"
FILE_NAME = "sessions.sqlite3"


def default_store_path() -> Path:
    """The store in the user's data folder (e.g. ~/.local/share/tabletop/sessions.sqlite3)."""
    from platformdirs import user_data_path

    return user_data_path("tabletop", appauthor=False) / FILE_NAME


def store_path(option: str | None = None) -> Path:
    """The store to use: the --store option, else $TABLETOP_STORE, else the default."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_VAR, "")
    if env:
        return Path(env).expanduser()
    return default_store_path()
