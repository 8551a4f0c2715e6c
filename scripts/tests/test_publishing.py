"""All-or-nothing publishing, and analysts reading while a build runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb

from conftest import health_rows, roster_rows, run_pipeline, tree_digest, write_workbook

COUNT = "select count(*) from marts.campaigns"


def published(project: Path) -> list[Path]:
    return [project / "build" / "partners.duckdb", project / "build" / "partners.html"]


def small_workbooks(tmp_path: Path) -> list[str]:
    roster = write_workbook(tmp_path / "r.xlsx", {"Roster": roster_rows(5)})
    health = write_workbook(tmp_path / "h.xlsx", {"Health": health_rows(["1001"])})
    return ["--breakout", str(roster), "--health", str(health)]


def count(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(COUNT).fetchone()[0]


def test_killed_build_leaves_the_last_good_files(project: Path, tmp_path: Path) -> None:
    before = tree_digest(*published(project))
    work = project / "build" / ".work" / "partners.duckdb"
    process = subprocess.Popen(  # the main job, killed with SIGKILL while dbt writes
        [sys.executable, str(project / "scripts" / "run_pipeline.py"),
         *small_workbooks(tmp_path)],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not (work.exists() and work.stat().st_size > 0):
        assert process.poll() is None, "the run ended before dbt started writing"
        assert time.monotonic() < deadline, "dbt never started writing"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert tree_digest(*published(project)) == before
    assert count(published(project)[0]) == 2067
    # the lock died with the process: the next run goes through
    completed = run_pipeline(project, *small_workbooks(tmp_path))
    assert completed.returncode == 0, completed.stderr
    assert count(published(project)[0]) == 5


def test_full_disk_while_publishing_leaves_the_last_good_files(
    project: Path, tmp_path: Path
) -> None:
    before = tree_digest(*published(project))
    driver = textwrap.dedent(f"""
        import errno, sys
        sys.path.insert(0, {str(project / "scripts")!r})
        import export_html, run_pipeline

        def full_disk(path, text):
            with open(str(path) + ".partial", "w") as handle:
                handle.write(text[: len(text) // 2])
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

        export_html.write_atomically = full_disk
        sys.exit(run_pipeline.main(sys.argv[1:]))
    """)
    completed = subprocess.run(
        [sys.executable, "-c", driver, *small_workbooks(tmp_path)],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 1
    assert "No space left on device" in completed.stderr
    assert "the published files were not changed" in completed.stderr
    assert tree_digest(*published(project)) == before
    assert count(published(project)[0]) == 2067


def test_an_analyst_reading_does_not_block_the_next_run(
    project: Path, tmp_path: Path
) -> None:
    database = published(project)[0]
    reader = subprocess.Popen(  # an analyst's read-only session, kept open
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys
            connection = duckdb.connect({str(database)!r}, read_only=True)
            for _ in sys.stdin:
                print(connection.execute({COUNT!r}).fetchone()[0], flush=True)
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "2067"
        completed = run_pipeline(project, *small_workbooks(tmp_path))
        assert completed.returncode == 0, completed.stdout + completed.stderr
        assert count(database) == 5  # a new connection sees the new build
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "2067"  # the open one, the old
    finally:
        reader.kill()
        reader.wait()


def test_a_second_run_is_told_why_it_cannot_start(project: Path) -> None:
    holder = subprocess.Popen(  # holds the run lock as a running build would
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(project / "scripts")!r})
            import run_pipeline
            from pathlib import Path
            with run_pipeline.run_lock(Path({str(project / "build")!r})):
                print("locked", flush=True)
                time.sleep(60)
        """)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = tree_digest(*published(project))
        completed = run_pipeline(project)
        assert completed.returncode == 1
        assert (
            f"another pipeline run is in progress (PID {holder.pid}" in completed.stderr
        )
        assert tree_digest(*published(project)) == before
    finally:
        holder.kill()
        holder.wait()
