"""The vocabulary's module constants (sim/vocab.py, sim/cause.py) are its members, one for
one: the engine's hot paths read ``THREAT_DETECTED`` where other code reads
``ThreatStatus.DETECTED``, so a constant bound to the wrong member would change a run."""

from __future__ import annotations

from enum import StrEnum

import pytest

from sim import cause, vocab

PREFIXES: list[tuple[object, type[StrEnum], str]] = [
    (vocab, vocab.ThreatStatus, "THREAT"),
    (vocab, vocab.ResponseStatus, "RESPONSE"),
    (vocab, vocab.InjectStatus, "INJECT"),
    (vocab, vocab.RatingLevel, "RATING"),
    (vocab, vocab.DecidedBy, "DECIDED_BY"),
    (vocab, vocab.EndReason, "END"),
    (cause, cause.CauseKind, "CAUSE"),
]


@pytest.mark.parametrize(("module", "enum", "prefix"), PREFIXES)
def test_every_member_has_its_constant_and_no_constant_is_another_member(
    module: object, enum: type[StrEnum], prefix: str
) -> None:
    constants = {
        name: value
        for name, value in vars(module).items()
        if name.startswith(prefix + "_") and isinstance(value, enum)
    }
    assert sorted(constants) == sorted(f"{prefix}_{m.name}" for m in enum)
    for name, value in constants.items():
        assert value is enum[name.removeprefix(prefix + "_")], name


def test_no_constant_of_a_prefix_belongs_to_another_vocabulary() -> None:
    """THREAT_... are threat statuses only (a cause kind THREAT is CAUSE_THREAT)."""
    for module, enum, prefix in PREFIXES:
        for name, value in vars(module).items():
            if name.startswith(prefix + "_") and name.isupper():
                assert isinstance(value, enum), name
