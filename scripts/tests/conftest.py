"""Shared helpers: workbooks made in the tests, and throw-away project copies."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

import generate_sample
from workspace import CHROMIUM, CHROMIUM_ARGS, PROJECT_DIR, copy_project

ROSTER_HEADER = ["Campaign ID", "MAID", "Advertiser", "Partner", "Product"]
HEALTH_HEADER = ["Campaign ID", "MAID", "AM", "Monthly Budget", "Utilization"]


def write_workbook(
    path: Path,
    sheets: dict[str, Sequence[Sequence[object]]],
    hidden: Sequence[str] = (),
) -> Path:
    """Write an .xlsx with the given sheets (name -> rows); ``hidden`` sheets hidden."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
            for cell in sheet[sheet.max_row]:
                # text such as '=HYPERLINK(...)' stays text, as exports write it
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        if name in hidden:
            sheet.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    _without_save_time(path)
    return path


#: the time every test workbook says it was saved
SAVED_AT = (2026, 1, 1, 0, 0, 0)


def _without_save_time(path: Path) -> None:
    """The same sheets always make the same bytes: openpyxl stamps each save
    with its time (the zip's entries, docProps/core.xml), and a Health drop
    is known by its bytes, so the same rows written again a second later
    were another untitled drop of the day, which a run refuses to let
    replace the first."""
    copy = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
                              b"2026-01-01T00:00:00Z", data)  # fmt: skip
            fixed = zipfile.ZipInfo(info.filename, date_time=SAVED_AT)
            fixed.compress_type = info.compress_type
            target.writestr(fixed, data)
    copy.replace(path)


def formula_workbook(path: Path, cached: str | None) -> None:
    """A roster whose product cell is a formula, with or without a cached value."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Breakout"
    sheet.append(ROSTER_HEADER)
    sheet.append([1001, 500, "Bob's", "Acme Media", '=CONCAT("Sea","rch")'])
    workbook.save(path)
    if cached is not None:  # as Excel saves a formula with a text result
        rewrite_member(
            path,
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b'<c r="E2"><f>', b'<c r="E2" t="str"><f>').replace(
                b"</f><v /></c>", b"</f><v>" + cached.encode() + b"</v></c>"
            ),
        )


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one member of a zip-based file (an .xlsx part) in place."""
    copy = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, change(data) if info.filename == member else data)
    copy.replace(path)


def roster_rows(count: int = 3, first_id: int = 1001) -> list[list[object]]:
    """A small, clean roster: header plus ``count`` campaigns."""
    return [ROSTER_HEADER] + [
        [first_id + i, 500 + i % 2, f"Advertiser {i % 2}", "Acme Media", "Search"]
        for i in range(count)
    ]


def health_rows(ids: Sequence[object] = ("1001",)) -> list[list[object]]:
    """A small, clean health sheet: header plus one campaign per ID."""
    return [HEALTH_HEADER] + [[i, "500", "Rivera", 100.0, 0.5] for i in ids]


def run_pipeline(
    project: Path, *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the project's main job as a user would, capturing its output."""
    env = {k: v for k, v in os.environ.items() if k != "PARTNERS_DUCKDB_PATH"}
    return subprocess.run(
        [sys.executable, str(project / "scripts" / "partners"), *args],
        cwd=cwd or project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


#: a roster header with campaign names and products (the report tests' rosters)
NAMED_ROSTER_HEADER = [
    "Campaign ID",
    "Campaign Name",
    "MAID",
    "Advertiser",
    "Partner",
    "Product",
]


def built_project(
    tmp: Path, roster: Sequence[Sequence[object]], health: Sequence[Sequence[object]]
) -> Path:
    """A copy of the project in ``tmp`` with the main job run on a roster and a
    Health sheet of these rows (each with its header row)."""
    project = copy_project(tmp / "project")
    breakout = write_workbook(tmp / "roster.xlsx", {"Roster": roster})
    health_file = write_workbook(tmp / "health.xlsx", {"Health": health})
    completed = run_pipeline(
        project, "--breakout", str(breakout), "--health", str(health_file)
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return project


#: a stand-in for the virtual environment's python: prints the arguments the
#: Makefile's command line hands it, each followed by a NUL
FAKE_PYTHON = """#!/bin/sh
for argument in "$@"; do printf '%s\\0' "$argument"; done
"""


def make_partners_arguments(folder: Path, variables: dict[str, str]) -> list[str]:
    """What ``make partners VARIABLE=value ...``, run in the project, hands to
    the python of the virtual environment: a stand-in written to ``folder``
    says it (the script first, then its arguments)."""
    fake = folder / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    completed = subprocess.run(
        ["make", "--no-print-directory", "-s", "-o", ".venv/.ready", "partners",  # noqa: S607
         f"BIN={fake.parent}", *(f"{k}={v}" for k, v in variables.items())],
        cwd=PROJECT_DIR, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return completed.stdout.split("\0")[:-1]


def sample_inputs(project: Path) -> list[str]:
    """Generate the sample into the project's build/sample/ (as ``make
    partners`` does without workbooks); return the main job's options for it."""
    folder = project / "build" / "sample"
    generate_sample.generate(folder)
    return generate_sample.main_job_arguments(folder)


def tree_digest(*paths: Path) -> dict[str, str]:
    """sha256 of every file under ``paths``: to prove a failed run changed nothing."""
    digests = {}
    for root in paths:
        files = (
            [root]
            if root.is_file()
            else sorted(p for p in root.rglob("*") if p.is_file())
        )
        for file in files:
            digests[str(file)] = hashlib.sha256(file.read_bytes()).hexdigest()
    return digests


def processes_running_in(folder: Path) -> list[str]:
    """Command lines of the live processes that mention ``folder``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if str(folder).encode() in command:
                found.append(command.decode(errors="replace"))
    return found


@pytest.fixture(scope="session")
def _sample_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The main job run once on the sample workbooks, in a project copy; and a
    copy of the result (dbt's saved state included) to put back after a test.

    It is started from an unrelated, empty working directory, which must stay
    empty: dbt and the scripts resolve every path against the project.
    """
    project = copy_project(tmp_path_factory.mktemp("sample") / "project")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    completed = run_pipeline(project, *sample_inputs(project), cwd=elsewhere)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert list(elsewhere.iterdir()) == []
    template = tmp_path_factory.mktemp("template") / "project"
    shutil.copytree(project, template, symlinks=True)
    return project, template


def _put_back(project: Path, template: Path) -> None:
    """The project as the sample build left it: every file, dbt's state too."""
    shutil.rmtree(project)
    shutil.copytree(template, project, symlinks=True)


@pytest.fixture(scope="session")
def sample_build(_sample_template: tuple[Path, Path]) -> Path:
    """A project copy on which the main job has run once on the sample
    workbooks (the tests that run it again, through ``project``, put every
    file back after them)."""
    return _sample_template[0]


@pytest.fixture
def project(_sample_template: tuple[Path, Path]) -> Iterator[Path]:
    """The sample build, to run again: its own folder, where a user runs the
    main job a second time (so dbt's saved state is the one a user's rerun
    finds); every file is put back as the sample build left it afterwards,
    for the next test and for the tests reading ``sample_build``."""
    project, template = _sample_template
    _put_back(project, template)
    yield project
    _put_back(project, template)


@pytest.fixture(scope="session")
def report(sample_build: Path) -> Path:
    """The sample build's partners.html."""
    return sample_build / "build" / "partners.html"


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium via Playwright; fails, never skips, if absent."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's chromium "
            "(`make test` installs it with apt-get)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


class ReportPage:
    """A page of partners.html that records every console error, dialog and request."""

    def __init__(self, browser, path: Path, fragment: str = "", **context) -> None:
        self.context = browser.new_context(accept_downloads=True, **context)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"error: {error}"))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.url = path.resolve().as_uri()
        self.goto(fragment)

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def goto(self, fragment: str = "") -> None:
        self.page.goto(self.url + fragment)
        self.page.wait_for_selector("html[data-ready=true]")
        self.settle()

    def settle(self) -> None:
        """Wait until the page has drawn the sections it draws when idle: the
        sections above one then have their real height, so a section scrolled
        to stays on screen (off screen, ``content-visibility: auto`` skips it
        and its ``inner_text`` is empty)."""
        self.page.evaluate(
            "() => new Promise(done => (window.requestIdleCallback || setTimeout)"
            "(() => done(), { timeout: 2000 }))"
        )

    def assert_clean(self) -> None:
        """No console error, no script dialog, no request beyond the file itself."""
        assert self.problems == []
        assert [url for url in self.requests if not url.startswith(self.url)] == []


@pytest.fixture
def open_report(browser):
    """Open a report; on teardown assert it logged no error and made no request."""
    pages: list[ReportPage] = []

    def opener(path: Path, fragment: str = "", **context) -> ReportPage:
        pages.append(ReportPage(browser, path, fragment, **context))
        return pages[-1]

    yield opener
    for report in pages:
        report.assert_clean()
        report.context.close()


def shown_text(locator) -> str:
    """The text of ``locator`` as a reader sees it, scrolled to: the page's
    sections skip their rendering off screen (``content-visibility: auto``),
    where an element's ``inner_text`` is empty."""
    locator.scroll_into_view_if_needed()
    return locator.inner_text()


def download(page, selector: str) -> tuple[str, list[dict[str, str]]]:
    """Click ``selector``; the file's name and rows (it starts with a UTF-8
    byte order mark, so that spreadsheets read it as UTF-8)."""
    with page.expect_download() as event:
        page.click(selector)
    data = Path(event.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    return event.value.suggested_filename, list(csv.DictReader(io.StringIO(text)))
