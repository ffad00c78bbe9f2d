"""`tabletop batch --out FILE --report FILE.html` writes both or neither: a report that does
not fit on the disk must not leave new results beside an old report (or the other way round)
that no longer describe the same batch."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

TABLETOP = Path(sys.executable).with_name("tabletop")
ARGS = ("batch", "quickstart", "--runs", "2", "--format", "json")


def test_a_report_that_does_not_fit_leaves_both_old_outputs(tmp_path: Path) -> None:
    sizes = tmp_path / "sizes"
    sizes.mkdir()
    first = subprocess.run(
        [TABLETOP, *ARGS, "--out", sizes / "r.json", "--report", sizes / "r.html"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert first.returncode == 0, first.stderr
    results, report = (sizes / "r.json").stat().st_size, (sizes / "r.html").stat().st_size
    assert report > results + 1, "the limit must let the results through and stop the report"
    limit = results + 1

    out = tmp_path / "results.json"
    html = tmp_path / "report.html"
    out.write_text("the previous results\n", encoding="utf-8")
    html.write_text("the previous report\n", encoding="utf-8")

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [TABLETOP, *ARGS, "--out", out, "--report", html],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        preexec_fn=small_disk,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines()[-1] == f"error: cannot write {html}: File too large"
    assert out.read_text(encoding="utf-8") == "the previous results\n"
    assert html.read_text(encoding="utf-8") == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "results.json", "sizes"]


def _same_file_outputs(tmp_path: Path) -> list[tuple[str, str]]:
    """--out and --report naming one file: the same name, another spelling, a symbolic link
    to it (each report would silently replace the results)."""
    (tmp_path / "kept.json").write_text("the previous results\n", encoding="utf-8")
    (tmp_path / "link.json").symlink_to("kept.json")
    (tmp_path / "hard.json").hardlink_to(tmp_path / "kept.json")
    return [
        ("hard.json", "kept.json"),
        ("same.json", "same.json"),
        ("same.json", "./sub/../same.json"),
        ("link.json", "kept.json"),
        ("kept.json", "link.json"),
    ]


def test_out_and_report_naming_one_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for out, report in _same_file_outputs(tmp_path):
        done = subprocess.run(
            [TABLETOP, *ARGS, "--out", out, "--report", report],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=300,
        )
        assert done.returncode == 2, (out, report, done.stderr)
        assert "--report" in done.stderr and "--out" in done.stderr, done.stderr
        assert not (tmp_path / "same.json").exists()
        assert (tmp_path / "kept.json").read_text(encoding="utf-8") == "the previous results\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "hard.json",
            "kept.json",
            "link.json",
            "sub",
        ]


def test_out_and_report_may_both_be_a_device(tmp_path: Path) -> None:
    done = subprocess.run(
        [TABLETOP, *ARGS, "--out", "/dev/null", "--report", "/dev/null"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def _batch(tmp_path: Path, *args: str, stdout: object = subprocess.PIPE) -> tuple[int, str, str]:
    done = subprocess.run(
        [TABLETOP, *ARGS, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    return done.returncode, done.stdout or "", done.stderr


def test_out_and_report_on_one_stream_is_a_usage_error(tmp_path: Path) -> None:
    """`--out /dev/stdout --report /dev/stdout` into a pipe: the results and the HTML report
    would come out mixed in one stream (before, exit 0 and both written)."""
    for out, report in [
        ("/dev/stdout", "/dev/stdout"),
        ("/dev/stdout", "/dev/fd/1"),
        ("/dev/fd/1", "/proc/self/fd/1"),
        ("/dev/stderr", "/dev/fd/2"),
    ]:
        code, printed, err = _batch(tmp_path, "--out", out, "--report", report)
        assert code == 2, (out, report, err)
        assert "--report" in err and "--out" in err, err
        assert printed == ""


def test_a_report_onto_the_printed_results_is_a_usage_error(tmp_path: Path) -> None:
    """Without --out the results are printed: standard output is an output too, and a report
    written to the same place would be mixed into them, or (a file) replace them."""
    code, printed, err = _batch(tmp_path, "--report", "/dev/stdout")
    assert code == 2, err
    assert "--report" in err and "standard output" in err and printed == ""

    results = tmp_path / "results.txt"
    results.write_text("the previous results\n", encoding="utf-8")
    for report in ("results.txt", "./results.txt", "/dev/stdout"):
        with results.open("a", encoding="utf-8") as shell_opened:  # `>> results.txt`
            code, _, err = _batch(tmp_path, "--report", report, stdout=shell_opened)
        assert code == 2, (report, err)
        assert "--report" in err and "standard output" in err, err
        assert results.read_text(encoding="utf-8") == "the previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.txt"]


def test_the_null_device_may_take_the_printed_results_and_the_report(tmp_path: Path) -> None:
    with open("/dev/null", "w", encoding="utf-8") as null:
        code, _, err = _batch(tmp_path, "--report", "/dev/null", stdout=null)
    assert code == 0, err
