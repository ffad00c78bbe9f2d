"""The engine's work limits, readable without importing the engine (`validate` warns by them).

See 'Limits' in docs/scenario-format.md.
"""

from __future__ import annotations

MAX_EVENTS = 1_000_000
"""Engine steps one run may take: events processed plus conditions re-checked (see 'Limits'
in docs/scenario-format.md)."""

MAX_SEED = 2**63 - 1
"""The largest random seed: a scenario's `seed:` and every command's --seed (a session stores
its seed as a 64-bit integer, and a seed shown anywhere can be given back to `tabletop run`)."""

MAX_REPEATS = 10_000
"""A repeating stage runs at most this many times (a hostile file cannot loop forever)."""

MAX_TEXT = 10_000_000
"""Characters of the scenario's prose one run's records may show (inject texts, decision
prompts each time they are posed, notification messages, consent refusals, sitting titles and
texts, playbook rationales, failing expressions): five times the largest file, so a file that
shows its text again and again (a decision posed again, a notification sent on each choice)
cannot make a run print far more than itself (see 'Limits' in docs/scenario-format.md)."""
