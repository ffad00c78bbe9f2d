"""A log that wraps its lines again when its width changes.

Textual's RichLog wraps what it is given once, at the width it has then: a window made narrow
and then wide again kept three words a line. This one keeps what was written (bounded, as the
log's lines are) and writes it again at the new width.
"""

from __future__ import annotations

from collections import deque
from typing import Self

from rich.console import RenderableType
from textual.events import Resize
from textual.widgets import RichLog


class RewrappingLog(RichLog):
    """A RichLog that is written again, at its new width, whenever its width changes."""

    def __init__(
        self, *, max_lines: int, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(
            id=id,
            classes=classes,
            wrap=True,
            markup=False,
            highlight=False,
            max_lines=max_lines,
            min_width=20,
        )
        self.written: deque[RenderableType] = deque(maxlen=max_lines)
        """What was written, in order (each at least one line: no more than the log keeps)."""
        self.wrapped_at = 0

    def write(
        self,
        content: RenderableType | object,
        width: int | None = None,
        expand: bool = False,
        shrink: bool = True,
        scroll_end: bool | None = None,
        animate: bool = False,
    ) -> Self:
        if self._size_known:  # a write before that is deferred, and comes back here after
            self.written.append(content)  # type: ignore[arg-type]
        return super().write(content, width, expand, shrink, scroll_end, animate)

    def clear(self) -> Self:
        self.written.clear()
        return super().clear()

    def on_resize(self, event: Resize) -> None:
        # After the resize is laid out: the region then has its new width (a log first shown
        # now has just written what waited for its size, at a width not yet its own).
        del event
        self.call_after_refresh(self._rewrap)

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width
        if self._size_known and width and width != self.wrapped_at and self.written:
            again = list(self.written)
            self.clear()
            for content in again:
                self.write(content)
        if width:
            self.wrapped_at = width
