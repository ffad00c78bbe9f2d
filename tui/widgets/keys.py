"""The key bar: every key of the current screen, wrapping onto a second line when narrow."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class KeyBar(Static):
    """Like Textual's Footer, but it never hides a key: it wraps instead of scrolling."""

    DEFAULT_CSS = """
    KeyBar { height: auto; width: 100%; dock: bottom; background: $panel; }
    /* In a window far below 80x24 the bar is cut rather than take the whole screen. */
    KeyBar { max-height: 30%; min-height: 1; }
    """

    def on_mount(self) -> None:
        self.call_after_refresh(self.show_keys)

    def on_screen_resume(self) -> None:
        self.show_keys()

    def show_keys(self) -> None:
        out = Text()
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or not active.enabled:
                continue
            label = binding.key_display or self.app.get_key_display(binding)
            if label in seen or binding.description in seen:
                continue
            seen.update((label, binding.description))
            if out:
                out.append("  ")
            out.append(f" {label} ", style="bold reverse")
            out.append(f" {binding.description}")
            del key
        self.update(out)
        # Textual keeps the bar's height from before its first keys were set (its size cache
        # outlives that first update): lay it out again once this one is drawn, so the bar
        # wraps onto as many lines as its keys need from the start (or `?` and `q` are cut).
        self.call_after_refresh(self.refresh, layout=True)
