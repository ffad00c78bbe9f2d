"""Hostile output names for the all-or-none writers (`tabletop pack --out DIR`, `batch --out`,
`tabletop new`, report files): a name as long as the filesystem allows is written; one longer,
a file where a folder should be, or control characters give one line (escaped, never raw),
exit 1, and leave nothing behind; links and temporary-looking names already there stay."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sim.analysis.cli import PACK_FILES
from sim.cli import main
from sim.outfile import write_text_file, write_text_files
from sim.outfolder import whole_folder, write_staged

LONGEST = os.pathconf("/", "PC_NAME_MAX") if hasattr(os, "pathconf") else 255


def pack(out: Path | str) -> Result:
    return CliRunner().invoke(main, ["pack", "quickstart", "--out", str(out)])


def one_line_error(result: Result, *words: str) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "\x1b" not in lines[0] and "\x07" not in lines[0]
    for w in words:
        assert w in lines[0], result.output
    return lines[0]


def test_a_package_folder_with_the_longest_name_allowed_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name = "p" * (LONGEST - 10)  # a valid name: its temporary twin must fit too
    result = pack(name)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / name).iterdir()) == sorted(PACK_FILES)
    assert os.listdir(tmp_path) == [name]


def test_a_package_into_an_existing_folder_with_a_long_name(tmp_path: Path) -> None:
    folder = tmp_path / ("q" * (LONGEST - 1))
    folder.mkdir()
    with whole_folder(folder) as stage:
        write_staged(stage / ("f" * (LONGEST - 1)), "text\n")
    assert os.listdir(folder) == ["f" * (LONGEST - 1)]


def test_a_result_file_with_the_longest_name_allowed_is_written(tmp_path: Path) -> None:
    target = tmp_path / ("r" * LONGEST)
    write_text_file(str(target), "results\n")
    assert target.read_text(encoding="utf-8") == "results\n"
    other = tmp_path / ("s" * LONGEST)
    target.write_text("old\n", encoding="utf-8")
    write_text_files([(str(target), "new\n"), (str(other), "report\n")])
    assert target.read_text(encoding="utf-8") == "new\n"
    assert sorted(os.listdir(tmp_path)) == sorted([target.name, other.name])


def test_a_name_too_long_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    one_line_error(pack(tmp_path / "new" / ("n" * (LONGEST + 1)) / "x"), "File name too long")
    one_line_error(pack(tmp_path / ("n" * (LONGEST + 1))), "File name too long")
    deep = tmp_path.joinpath(*["d" * 200] * 25)  # longer than a path may be
    one_line_error(pack(deep))
    assert os.listdir(tmp_path) == []


def test_control_characters_in_the_name_are_shown_escaped(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder\n", encoding="utf-8")
    line = one_line_error(pack(tmp_path / "a-file" / "pack\x1b[31m\nred\x07"), "Not a directory")
    assert "\\x1b[31m" in line and "\\x0a" in line
    assert os.listdir(tmp_path) == ["a-file"]


def test_a_file_where_a_parent_folder_goes_is_one_line_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / "a-file").write_text("not a folder\n", encoding="utf-8")
    one_line_error(pack(tmp_path / "a-file" / "deeper" / "pack"), "Not a directory")
    assert os.listdir(tmp_path) == ["a-file"]
    with pytest.raises(NotADirectoryError):
        write_text_files([(str(tmp_path / "ok.txt"), "x"), (str(tmp_path / "a-file" / "r"), "y")])
    assert os.listdir(tmp_path) == ["a-file"]


def test_a_link_named_like_a_package_file_is_replaced_and_what_it_points_to_stays(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text("the user's own file elsewhere\n", encoding="utf-8")
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "msel.csv").symlink_to(outside)
    assert pack(folder).exit_code == 0
    assert not (folder / "msel.csv").is_symlink()
    assert outside.read_text(encoding="utf-8") == "the user's own file elsewhere\n"
    assert sorted(os.listdir(folder)) == sorted(PACK_FILES)


def test_a_package_folder_that_is_a_link_fills_the_folder_it_points_to(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to("real")
    assert pack(tmp_path / "link").exit_code == 0
    assert (tmp_path / "link").is_symlink()
    assert sorted(os.listdir(tmp_path / "real")) == sorted(PACK_FILES)
    (tmp_path / "broken").symlink_to("nowhere")
    one_line_error(pack(tmp_path / "broken"), "broken symbolic link")
    assert not (tmp_path / "nowhere").exists()


def test_a_temporary_looking_name_already_in_the_folder_stays(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    (folder / ".tabletop-mine.part").mkdir(parents=True)
    (folder / ".tabletop-mine.part" / "keep.txt").write_text("mine\n", encoding="utf-8")
    assert pack(folder).exit_code == 0
    assert sorted(os.listdir(folder)) == sorted([*PACK_FILES, ".tabletop-mine.part"])
    assert (folder / ".tabletop-mine.part" / "keep.txt").read_text(encoding="utf-8") == "mine\n"
