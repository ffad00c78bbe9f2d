"""`tabletop pack --out DIR` writes its files whole or not at all: whatever fails part-way (a
renderer, a full disk, Ctrl-C, a folder where a file goes), DIR is left exactly as it was, with
no temporary folder behind, and the user hears one line, never a traceback. Bad cases first."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sim.analysis.cli import PACK_FILES
from sim.cli import main

OLD = "an older package's text\n"


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under folder (hidden ones too): a file's bytes, None for a folder."""
    out: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        out[name] = None if path.is_dir() and not path.is_symlink() else path.read_bytes()
    return out


def pack(out: Path | str) -> Result:
    return CliRunner().invoke(main, ["pack", "quickstart", "--out", str(out)])


def one_line_error(result: Result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    for w in words:
        assert w in lines[0], result.output


def old_package(folder: Path) -> None:
    """A package written before, and a file of the user's own beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in PACK_FILES:
        (folder / name).write_text(OLD, encoding="utf-8")
    (folder / "my-notes.txt").write_text("the user's own notes\n", encoding="utf-8")


def fail_with(exc: BaseException) -> Callable[..., str]:
    def render(*args: object, **kwargs: object) -> str:
        raise exc

    return render


# --- a failure part-way leaves the target as it was ------------------------------------------


@pytest.mark.parametrize("existing", [True, False], ids=["old package", "new folder"])
def test_a_full_disk_at_the_second_file_leaves_the_target_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    out = tmp_path / "pkg"
    if existing:
        old_package(out)
    before = snapshot(tmp_path)
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr("sim.analysis.markdown.manual_markdown", fail_with(full))
    result = pack(out)
    one_line_error(result, "No space left on device")
    assert snapshot(tmp_path) == before


def test_a_failing_renderer_is_one_line_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sim.problems import TabletopError

    out = tmp_path / "pkg"
    old_package(out)
    before = snapshot(tmp_path)
    boom = TabletopError("the handbook could not be printed")
    monkeypatch.setattr("sim.analysis.html.handbook_html", fail_with(boom))
    one_line_error(pack(out), "the handbook could not be printed")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("existing", [True, False], ids=["old package", "new folder"])
def test_ctrl_c_part_way_leaves_the_target_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    out = tmp_path / "pkg"
    if existing:
        old_package(out)
    before = snapshot(tmp_path)
    monkeypatch.setattr("sim.analysis.pack.msel_csv", fail_with(KeyboardInterrupt()))
    result = pack(out)
    assert result.exit_code == 130, result.output
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("failure", ["disk", "ctrl-c"])
def test_a_failure_while_moving_files_into_place_puts_the_old_ones_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """The files are all built first; if the third of the renames into place fails, the two
    already moved are undone."""
    out = tmp_path / "pkg"
    old_package(out)
    before = snapshot(tmp_path)
    real = os.replace
    calls: list[object] = []

    def flaky(src: object, dst: object, **kwargs: object) -> None:
        calls.append(dst)
        if len(calls) == 3:
            if failure == "ctrl-c":
                raise KeyboardInterrupt
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(dst))
        real(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", flaky)
    result = pack(out)
    if failure == "ctrl-c":
        assert result.exit_code == 130, result.output
        assert "Traceback" not in result.output
    else:
        one_line_error(result, "Input/output error")
    assert snapshot(tmp_path) == before


def test_missing_parents_made_for_the_package_are_removed_when_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr("sim.analysis.markdown.handbook_markdown", fail_with(full))
    one_line_error(pack(tmp_path / "a" / "b" / "pkg"), "No space left on device")
    assert snapshot(tmp_path) == {}


# --- a target that cannot take the package ---------------------------------------------------


def test_a_folder_where_a_file_of_the_package_goes_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    old_package(out)
    (out / "msel.csv").unlink()
    (out / "msel.csv").mkdir()
    (out / "msel.csv" / "inside.txt").write_text("kept\n", encoding="utf-8")
    before = snapshot(tmp_path)
    one_line_error(pack(out), "msel.csv")
    assert snapshot(tmp_path) == before


def test_a_file_in_the_way_of_the_parent_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x\n", encoding="utf-8")
    before = snapshot(tmp_path)
    one_line_error(pack(tmp_path / "afile" / "pkg"), "afile")
    assert snapshot(tmp_path) == before


def test_a_target_that_is_a_file_is_a_usage_error_and_stays(tmp_path: Path) -> None:
    (tmp_path / "pkg").write_text("x\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = pack(tmp_path / "pkg")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_an_unwritable_target_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    old_package(out)
    before = snapshot(tmp_path)
    out.chmod(0o500)
    try:
        one_line_error(pack(out), "pkg")
    finally:
        out.chmod(0o700)
    assert snapshot(tmp_path) == before


# --- what a successful pack does to a folder that holds other files --------------------------


def test_pack_replaces_only_its_own_files_and_keeps_the_users(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    old_package(out)
    (out / "msel.csv").chmod(0o600)
    result = pack(out)
    assert result.exit_code == 0, result.output
    after = snapshot(tmp_path)
    assert sorted(after) == sorted(["pkg", "pkg/my-notes.txt", *(f"pkg/{n}" for n in PACK_FILES)])
    assert after["pkg/my-notes.txt"] == b"the user's own notes\n"
    assert all(after[f"pkg/{n}"] != OLD.encode() for n in PACK_FILES)
    assert (out / "msel.csv").stat().st_mode & 0o777 == 0o600  # its mode is kept


def test_a_new_package_folder_has_an_ordinary_mode(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        assert pack(tmp_path / "pkg").exit_code == 0
    finally:
        os.umask(mask)
    assert (tmp_path / "pkg").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "pkg" / "msel.csv").stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_pack_into_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.txt").write_text("mine\n", encoding="utf-8")
    assert pack(".").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*PACK_FILES, "keep.txt"])


# --- a real full disk, in a process of its own ------------------------------------------------


def _package_sizes() -> list[int]:
    from aar_helpers import scenario

    from sim.analysis.html import handbook_html, manual_html
    from sim.analysis.markdown import handbook_markdown, manual_markdown
    from sim.analysis.pack import msel_csv, package

    made = package(scenario("quickstart"))
    texts = (
        manual_html(made.manual),
        manual_markdown(made.manual),
        handbook_html(made.handbook),
        handbook_markdown(made.handbook),
        msel_csv(made.handbook),
    )
    return [len(t.encode("utf-8")) for t in texts]


@pytest.mark.parametrize("existing", [True, False], ids=["old package", "new folder"])
def test_a_disk_that_fills_up_part_way_leaves_the_target_unchanged(
    tmp_path: Path, existing: bool
) -> None:
    """The first two files fit, a later one does not (a file size limit: EFBIG)."""
    import resource
    import subprocess
    import sys

    sizes = _package_sizes()
    limit = max(sizes[:2]) + 1
    assert max(sizes[2:]) > limit, "the limit must stop a later file"
    out = tmp_path / "pkg"
    if existing:
        old_package(out)
    before = snapshot(tmp_path)

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [Path(sys.executable).with_name("tabletop"), "pack", "quickstart", "--out", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == f"error: cannot write {out / PACK_FILES[2]}: File too large"
    assert snapshot(tmp_path) == before


def _deep_folder(under: Path, length: int) -> Path:
    """A folder path of exactly length bytes under a folder, ending in /pack (not made)."""
    path = str(under.resolve())
    while length - len(path) - len("/pack") > 201:
        path += "/" + "d" * 200
    path += "/" + "d" * (length - len(path) - len("/pack") - 1)
    os.makedirs(path)
    return Path(path + "/pack")


def _path_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_PATH_MAX") - 1
    except (OSError, ValueError):
        pytest.skip("no path length limit to reach here")


@pytest.mark.parametrize("exists", [True, False], ids=["into-a-folder", "a-new-folder"])
@pytest.mark.parametrize("room", [30, 1])
def test_a_dir_near_the_path_length_limit_is_one_clear_line_and_changes_nothing(
    tmp_path: Path, exists: bool, room: int
) -> None:
    """DIR's own path fits (with room=30 the package's files' would too) but not with the
    hidden folder they are built in: one line saying the path is too long and to choose a
    shorter one, DIR as it was, nothing left behind. Before, the line blamed the name of a
    file or of DIR (neither was too long)."""
    longest = _path_max(tmp_path)
    out = _deep_folder(tmp_path, longest - room)
    if exists:
        out.mkdir()
        if room > len("/controller-handbook.html"):
            old_package(out)
    parent_before = snapshot(out.parent)
    result = pack(out)
    one_line_error(result, "too long", "shorter path", str(out))
    assert snapshot(out.parent) == parent_before
