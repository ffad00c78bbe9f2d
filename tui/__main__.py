"""`python -m tui ...`: the same as the `tabletop` command (used by `tabletop serve`)."""

from tui.entry import run_main

run_main()
