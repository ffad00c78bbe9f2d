"""The console's failure notices name what failed in words, never with an empty reason."""

from __future__ import annotations

from sim.problems import TabletopError
from tui.failures import failure_text


def test_tabletops_own_error_is_its_message() -> None:
    assert failure_text(TabletopError("the store is read-only")) == "the store is read-only"


def test_another_error_is_its_kind_and_message() -> None:
    assert failure_text(ValueError("math domain error")) == "ValueError: math domain error"


def test_an_error_without_a_message_is_its_kind_alone() -> None:
    """A notice never ends in 'KIND: ' with nothing after it."""
    assert failure_text(RuntimeError()) == "RuntimeError"
    assert failure_text(KeyboardInterrupt()) == "KeyboardInterrupt"
