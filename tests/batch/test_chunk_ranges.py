"""A batch's chunks are computed when asked for, so memory stays flat however many runs."""

from __future__ import annotations

import pytest

from sim.batch.runner import chunk_ranges


@pytest.mark.parametrize("runs", [0, 1, 7, 10, 11, 1000])
@pytest.mark.parametrize("size", [1, 3, 10, 5000])
def test_chunks_cover_every_run_once_in_order(runs: int, size: int) -> None:
    chunks = chunk_ranges(runs, size)
    covered = [i for start, stop in chunks for i in range(start, stop)]
    assert covered == list(range(runs))
    assert all(0 < stop - start <= size for start, stop in chunks)
    assert len(chunks) == len(list(chunks))
    if runs:
        assert chunks[0][0] == 0 and chunks[-1][1] == runs


def test_a_billion_runs_hold_no_list_of_chunks() -> None:
    chunks = chunk_ranges(10**9, 1)
    assert len(chunks) == 10**9
    assert chunks[123_456_789] == (123_456_789, 123_456_790)
    assert chunks[-1] == (10**9 - 1, 10**9)
    with pytest.raises(IndexError):
        chunks[10**9]
