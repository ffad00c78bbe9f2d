"""sim/outfile.write_text_files: several output files (a batch's results and its report) all
or none, each whole; a failure while renaming them into place puts back those already moved."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from sim.outfile import write_text_files


@pytest.mark.parametrize("failure", ["disk", "ctrl-c"])
def test_a_failed_second_rename_puts_the_first_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    first, second = tmp_path / "results.json", tmp_path / "sub" / "report.html"
    second.parent.mkdir()
    first.write_text("old results\n", encoding="utf-8")
    second.write_text("old report\n", encoding="utf-8")
    real = os.replace
    calls: list[object] = []

    def flaky(src: object, dst: object, **kwargs: object) -> None:
        calls.append(dst)
        if len(calls) == 2:
            if failure == "ctrl-c":
                raise KeyboardInterrupt
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(src))
        real(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", flaky)
    expected = KeyboardInterrupt if failure == "ctrl-c" else OSError
    with pytest.raises(expected) as caught:
        write_text_files([(str(first), "new results\n"), (str(second), "new report\n")])
    if failure == "disk":
        assert getattr(caught.value, "filename", None) == str(second)  # not its temporary
    assert first.read_text(encoding="utf-8") == "old results\n"
    assert second.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["report.html", "results.json", "sub"]


def test_new_files_are_removed_again_when_a_later_one_fails(tmp_path: Path) -> None:
    first = tmp_path / "results.json"
    with pytest.raises(OSError) as caught:
        write_text_files([(str(first), "new\n"), (str(tmp_path / "no" / "report.html"), "x")])
    assert caught.value.filename == str(tmp_path / "no" / "report.html")
    assert list(tmp_path.iterdir()) == []


def test_both_are_written_with_their_modes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.html"
    first.write_text("old\n", encoding="utf-8")
    first.chmod(0o600)
    write_text_files([(str(first), "A\n"), (str(second), "B\n")])
    assert (
        first.read_text(encoding="utf-8") == "A\n" and second.read_text(encoding="utf-8") == "B\n"
    )
    assert first.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.html"]
