"""The key bar: every key of the current screen, wrapping onto a second line when narrow."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def lay_out(entries: list[Text], width: int) -> Text:
    """The entries in lines of at most `width` cells, a line breaking only between two
    entries: a key and what it does are never split (an entry wider than a line is wrapped
    by the bar, as any text)."""
    out = Text()
    used = 0
    for entry in entries:
        if used and used + 2 + entry.cell_len > width:
            out.append("\n")
            used = 0
        elif used:
            out.append("  ")
            used += 2
        out.append_text(entry)
        used += entry.cell_len
    return out


class KeyBar(Static):
    """Like Textual's Footer, but it never hides a key: it wraps instead of scrolling."""

    DEFAULT_CSS = """
    KeyBar { height: auto; width: 100%; dock: bottom; background: $panel; }
    /* In a window far below 80x24 the bar is cut rather than take the whole screen. */
    KeyBar { max-height: 30%; min-height: 1; }
    """

    def on_mount(self) -> None:
        self.call_after_refresh(self.show_keys)
        # The keys change with the focus (the plan's table adds its own) and with what the
        # screen allows now: list them again whenever the screen's bindings change.
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: object) -> None:
        if self.is_attached:
            self.show_keys()

    def on_screen_resume(self) -> None:
        self.show_keys()

    def on_resize(self) -> None:
        self.show_keys()

    def show_keys(self) -> None:
        entries: list[Text] = []
        seen: set[str] = set()
        listed = getattr(self.app, "listed", None)  # (the console's: keys for this view)
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled:
                continue
            if listed is not None and not listed(binding.action):
                continue
            label = binding.key_display or self.app.get_key_display(binding)
            if label in seen or binding.description in seen:
                continue
            seen.update((label, binding.description))
            entries.append(Text.assemble((f" {label} ", "bold reverse"), f" {binding.description}"))
        self.update(lay_out(entries, self.size.width or self.app.size.width))
        # Textual keeps the bar's height from before its first keys were set (its size cache
        # outlives that first update): lay it out again once this one is drawn, so the bar
        # wraps onto as many lines as its keys need from the start (or `?` and `q` are cut).
        self.call_after_refresh(self.refresh, layout=True)
