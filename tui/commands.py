"""The command palette (ctrl+p): every console action by name, plus the current choices."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.fmt import literal

if TYPE_CHECKING:
    from tui.app import TabletopApp


class ConsoleCommands(Provider):
    """Actions of the facilitator console. Names from the scenario are shown literally."""

    @property
    def tabletop(self) -> TabletopApp:
        return cast("TabletopApp", self.app)

    async def discover(self) -> Hits:
        for name, help_text, callback in self.tabletop.palette_commands():
            yield DiscoveryHit(literal(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.tabletop.palette_commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, literal(name), callback, text=name, help=help_text)
