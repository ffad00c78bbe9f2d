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
    """The store to use: the --store option, else $TABLETOP_STORE, else the default.

    A TABLETOP_STORE of only spaces is refused (a StoreError), as `--store " "` is: it would
    be a store file named " " (an empty TABLETOP_STORE is unset, as shells treat it)."""
    if option:
        return _expanded(option, "--store")
    env = os.environ.get(ENV_VAR, "")
    if env and not env.strip():
        from sim.session.store import StoreError

        raise StoreError(
            f"${ENV_VAR} is an empty name (only spaces): give a file name, or unset it"
        )
    if env:
        return _expanded(env, ENV_VAR)
    return default_store_path()


def _expanded(name: str, given_by: str) -> Path:
    """name with a leading '~' or '~user' read as that home folder; a TabletopError if there is
    no such user (Path.expanduser raises RuntimeError, a traceback)."""
    path = os.path.expanduser(name)
    if path.startswith("~"):  # '~user' with no such user: left as it was
        from sim.problems import TabletopError
        from sim.safetext import printable

        user = printable(path.split("/", 1)[0], one_line=True)[:41]
        raise TabletopError(
            f"the session store of {given_by} is in the home folder of '{user}', but there is "
            "no such user here: give a full path"
        )
    return Path(path)
