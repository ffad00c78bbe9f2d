"""Output files under hostile conditions: bad input loses nothing. An output is never written
over the scenario or playbook it came from, an existing output is left whole when the write
fails (a full disk), a half-written file never takes its place, and a long batch is not run
only to find that its output cannot be written.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "scenarios" / "quickstart.yaml"
BOOK = ROOT / "scenarios" / "playbooks" / "quickstart--cooperate.yaml"
TABLETOP = Path(sys.executable).with_name("tabletop")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of quickstart and of its playbook, to be protected."""
    scenario = tmp_path / "scenario.yaml"
    book = tmp_path / "book.yaml"
    shutil.copy(QUICKSTART, scenario)
    shutil.copy(BOOK, book)
    return scenario, book


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (("run", "{s}", "--out", "{s}"), "--out"),
        (("run", "{s}", "--playbook", "{b}", "--out", "{b}"), "--out"),
        (("graph", "{s}", "--out", "{s}"), "--out"),
        (("report", "{s}", "--format", "md", "--out", "{s}"), "--out"),
        (("report", "{s}", "--format", "md", "--playbook", "{b}", "--out", "{b}"), "--out"),
        (("batch", "{s}", "--runs", "1", "--out", "{s}"), "--out"),
        (("batch", "{s}", "--runs", "1", "--playbook", "{b}", "--report", "{b}"), "--report"),
        (("run", "{s}", "--out", "{dot}"), "--out"),  # the same file by another spelling
    ],
    ids=["run", "run-book", "graph", "report", "report-book", "batch", "batch-report", "spelling"],
)
def test_an_output_onto_its_own_input_is_refused_and_the_input_kept(
    inputs: tuple[Path, Path], args: tuple[str, ...], flag: str
) -> None:
    scenario, book = inputs
    before = scenario.read_bytes(), book.read_bytes()
    dot = str(scenario.parent / "." / scenario.name)
    filled = [a.format(s=scenario, b=book, dot=dot) for a in args]
    code, out, err = invoke(*filled)
    assert code == 2, err
    assert f"Invalid value for '{flag}'" in err and "would be overwritten" in err
    assert out == ""
    assert (scenario.read_bytes(), book.read_bytes()) == before


def test_a_batch_whose_report_cannot_be_written_does_not_run(tmp_path: Path) -> None:
    """The folder is checked first: hours of runs are not thrown away at the end."""
    missing = tmp_path / "no-such-folder" / "report.html"
    code, out, err = invoke("batch", "quickstart", "--runs", "2", "--report", str(missing))
    assert code == 1, err
    assert err.strip() == f"error: cannot write {missing}: No such file or directory"
    assert out == ""  # no results printed: the batch did not run


def _limit_file_size() -> None:
    """A disk that fills up after 2,000 bytes of any file (EFBIG, 'File too large')."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))


@pytest.mark.parametrize(
    "args",
    [
        ("run", "quickstart", "--format", "json", "--out"),
        ("schema", "--out"),
        ("graph", "quickstart", "--out"),
        ("report", "quickstart", "--format", "md", "--out"),
        ("batch", "quickstart", "--runs", "2", "--format", "json", "--out"),
    ],
    ids=lambda a: a[0],
)
def test_a_write_that_fails_half_way_leaves_the_old_output_whole(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    target = tmp_path / "result.out"
    target.write_text("the previous result\n", encoding="utf-8")
    done = subprocess.run(
        [TABLETOP, *args, target],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        preexec_fn=_limit_file_size,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == f"error: cannot write {target}: File too large"
    assert target.read_text(encoding="utf-8") == "the previous result\n"
    assert [p.name for p in tmp_path.iterdir()] == ["result.out"]  # no half file left behind


def test_an_output_through_a_symbolic_link_is_written_to_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real.mmd"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.mmd"
    link.symlink_to(real)
    code, _, err = invoke("graph", "quickstart", "--out", str(link))
    assert code == 0, err
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("flowchart")


def test_msel_import_into_a_linked_scenario_keeps_the_link(tmp_path: Path) -> None:
    """An author's scenario reached through a symbolic link: the injects go into the real
    file, and the link stays a link (before, the link was replaced by a copy)."""
    real = tmp_path / "real.yaml"
    shutil.copy(QUICKSTART, real)
    link = tmp_path / "linked.yaml"
    link.symlink_to(real)
    csv = tmp_path / "msel.csv"
    csv.write_text("time,from,to,title,text\n10,ally,cabinet,A call,The ally calls\n")
    code, _, err = invoke("msel", "import", str(csv), "--into", str(link))
    assert code == 0, err
    assert link.is_symlink()
    assert "A call" in real.read_text(encoding="utf-8")


def test_out_to_dev_stdout_appends_where_the_shell_appends(tmp_path: Path) -> None:
    """`--out /dev/stdout >> all.txt`: the file the shell opened for appending keeps what it
    had (opening /dev/stdout to write truncated it, and a rename would replace it)."""
    if not Path("/dev/stdout").exists():
        pytest.skip("no /dev/stdout here")
    log = tmp_path / "all.txt"
    log.write_text("first\n", encoding="utf-8")
    done = subprocess.run(
        f"'{TABLETOP}' schema --out /dev/stdout >> '{log}'",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("first\n{")
    assert text.rstrip().endswith("}")


def test_an_output_under_a_file_says_it_is_not_a_folder(tmp_path: Path) -> None:
    under = tmp_path / "plain.txt"
    under.write_text("a file, not a folder\n", encoding="utf-8")
    target = under / "out.txt"
    code, out, err = invoke("batch", "quickstart", "--runs", "2", "--out", str(target))
    assert code == 1, err
    assert err.strip() == f"error: cannot write {target}: Not a directory"
    assert out == ""


def _store_with_a_session(tmp_path: Path) -> Path:
    store = tmp_path / "sessions.db"
    code, _, err = invoke("run", "quickstart", "--record", "--store", str(store))
    assert code == 0, err
    return store


@pytest.mark.parametrize("fmt", ["html", "md", "pdf"])
def test_a_report_onto_the_session_store_it_reads_is_refused_and_the_store_kept(
    tmp_path: Path, fmt: str
) -> None:
    store = _store_with_a_session(tmp_path)
    before = store.read_bytes()
    alias = tmp_path / "alias.db"
    alias.symlink_to(store.name)
    for out in (store, alias):
        code, text, err = invoke(
            "report", "1", "--store", str(store), "--format", fmt, "--out", str(out)
        )
        assert code == 2, err
        assert "Invalid value for '--out'" in err and "would be overwritten" in err
        assert text == ""
    assert store.read_bytes() == before
    code, listed, _ = invoke("sessions", "--store", str(store))
    assert code == 0 and "quickstart" in listed


@pytest.mark.parametrize("exists", [True, False])
def test_a_recorded_run_onto_its_own_session_store_is_refused(tmp_path: Path, exists: bool) -> None:
    store = _store_with_a_session(tmp_path) if exists else tmp_path / "new.db"
    before = store.read_bytes() if exists else None
    args = ("run", "quickstart", "--record", "--store", str(store), "--out", str(store))
    code, _, err = invoke(*args)
    assert code == 2, err
    assert "Invalid value for '--out'" in err and "would be overwritten" in err
    assert (store.read_bytes() if exists else None) == before
    assert store.exists() == exists


def test_a_recorded_run_into_a_new_store_may_replace_an_existing_output(tmp_path: Path) -> None:
    """A store not made yet is no output's file: an existing --out beside it is replaced, as
    without --record (the check for the store must not need the store to exist)."""
    old = tmp_path / "timeline.txt"
    old.write_text("an earlier run\n", encoding="utf-8")
    store = tmp_path / "new.db"
    args = ("run", "quickstart", "--record", "--store", str(store), "--out", str(old))
    code, _, err = invoke(*args)
    assert code == 0, err
    assert old.read_text(encoding="utf-8") != "an earlier run\n"
    assert store.exists()


def _deep_file(under: Path, length: int, name: str) -> Path:
    """A file path of exactly length bytes under a folder, ending in /name (not made)."""
    path = str(under.resolve())
    while length - len(path) - len(name) - 1 > 201:
        path += "/" + "d" * 200
    path += "/" + "d" * (length - len(path) - len(name) - 2)
    Path(path).mkdir(parents=True)
    return Path(path) / name


@pytest.mark.parametrize(
    "args",
    [("schema", "--out"), ("batch", "quickstart", "--runs", "1", "--format", "json", "--out")],
    ids=["one-file", "all-or-none"],
)
def test_an_output_near_the_path_length_limit_is_one_clear_line(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """The file's path fits, the temporary file beside it would not: one line saying the path
    is too long and to choose a shorter one (before: 'File name too long', a name that was not)."""
    try:
        longest = os.pathconf(tmp_path, "PC_PATH_MAX") - 1
    except (OSError, ValueError):
        pytest.skip("no path length limit to reach here")
    target = _deep_file(tmp_path, longest - 2, "r.json")
    code, _, err = invoke(*args, str(target))
    assert code == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot write {target}: "), err
    assert "too long" in lines[0] and "shorter path" in lines[0]
    assert not target.exists() and os.listdir(target.parent) == []
