"""sim/outfolder.py: several files moved into a folder all or none (the commands' tests check
what users see; these check the cases a command cannot easily bring about)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim.outfolder import whole_folder, write_staged


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_file_made_meanwhile_is_never_overwritten_without_replace(tmp_path: Path) -> None:
    with pytest.raises(FileExistsError) as caught, whole_folder(tmp_path, replace=False) as stage:
        write_staged(stage / "a.yaml", "ours\n")
        write_staged(stage / "b.yaml", "ours\n")
        (tmp_path / "b.yaml").write_text("someone else's\n", encoding="utf-8")
    assert caught.value.filename == str(tmp_path / "b.yaml")
    assert listing(tmp_path) == ["b.yaml"]
    assert (tmp_path / "b.yaml").read_text(encoding="utf-8") == "someone else's\n"


def test_a_namesake_link_is_replaced_and_what_it_pointed_to_is_kept(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").symlink_to(elsewhere)
    with whole_folder(out) as stage:
        write_staged(stage / "a.txt", "new\n")
    assert not (out / "a.txt").is_symlink()
    assert (out / "a.txt").read_text(encoding="utf-8") == "new\n"
    assert elsewhere.read_text(encoding="utf-8") == "keep\n"
    assert listing(out) == ["a.txt"]


def test_a_fifo_where_a_file_goes_stops_it_all(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "b.txt")
    with pytest.raises(OSError) as caught, whole_folder(tmp_path) as stage:
        write_staged(stage / "a.txt", "new\n")
        write_staged(stage / "b.txt", "new\n")
    assert caught.value.filename == str(tmp_path / "b.txt")
    assert listing(tmp_path) == ["b.txt"]


def test_an_error_writing_a_staged_file_names_where_it_was_going(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(IsADirectoryError) as caught, whole_folder(str(out)) as stage:
        (stage / "sub").mkdir()
        write_staged(stage / "sub", "x")
    assert caught.value.filename == str(out / "sub")
    assert listing(tmp_path) == []
