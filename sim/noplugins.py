"""`tabletop validate` without pydantic's search for plugins, a start-up cost it does not need.

The first time pydantic builds a validator it looks for third-party plugins (observability
hooks, such as logfire's): it imports ``importlib.metadata`` (which imports email, zipfile,
csv and more) and reads the entry points of every installed distribution, and it imports any
plugin it finds. That is about 20 ms of the command's start-up on the development machine
(docs/performance.md), spent before a line of the scenario is checked. `validate` tells
pydantic there are no plugins, as ``PYDANTIC_DISABLE_PLUGINS=__all__`` would, but before
pydantic's loader module (which imports ``importlib.metadata`` at its top) is imported at all.

The stand-in answers ``get_plugins``, the one name pydantic asks its loader for (2.7 to 2.14,
in ``pydantic.plugin._schema_validator``); asked for any other name it steps aside and loads
pydantic's own module, so a pydantic that asks for more still works, with its plugins.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

LOADER = "pydantic.plugin._loader"
"""pydantic's plugin loader module."""


def plugins_skipped() -> bool:
    """Whether pydantic finds no plugins in this process because of skip_plugin_search()."""
    found = sys.modules.get(LOADER)
    return found is not None and found.__doc__ == _DOC


_DOC = "No pydantic plugins (see sim.noplugins)."


def skip_plugin_search() -> None:
    """Make pydantic find no plugins in this process, unless its loader is already imported."""
    if LOADER in sys.modules:
        return
    stand_in = types.ModuleType(LOADER, _DOC)

    def get_plugins() -> tuple[()]:
        return ()

    def __getattr__(name: str) -> Any:  # anything else: pydantic's own module
        if name.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(name)
        if sys.modules.get(LOADER) is stand_in:
            del sys.modules[LOADER]
        return getattr(importlib.import_module(LOADER), name)

    vars(stand_in).update(get_plugins=get_plugins, __getattr__=__getattr__)
    sys.modules[LOADER] = stand_in
