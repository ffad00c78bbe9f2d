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
