"""Generate realistic, messy sample Breakout and Health workbooks.

Usage::

    python scripts/tools generate_sample --out-dir build/sample [--scale 1]

At scale 1 the workbooks reproduce the real figures exactly after cleaning:
2,067 roster campaigns, 588 advertisers (MAIDs), 11 product types, 800 health
campaigns of which 449 are in the roster, $1,480,000.00 of health budget of
which $768,000.00 is on matched campaigns. A dozen advertisers buy through two
partners. Advertisers buy realistic bundles (Search with Call Tracking, SEO
with Listings, Display with Social, ...), so cross-sell finds real affinities,
and budget data sits on campaigns of every tunable product. The files carry
the mess real exports carry: title rows above the
header, headers spelled differently from the canonical names, IDs as numbers
in one file and text in the other, stray and non-breaking spaces, currency
text, percentages as text or fractions, exact duplicate rows, blank rows,
a totals row, and partner names differing only in case or spacing.

With ``--messy`` the mess grows with the file, as in a real large export
(for ``make bench``): exact duplicates in proportion to the rows, a subtotal
row every 5,000 campaigns and the header repeated every 50,000 (a second
pasted block), twice the partner spellings, one product in a hundred spelled
as no alias knows it, and half the budgets and utilizations as text. Its
figures are not the real ones.

The output is deterministic for a given ``--seed``, ``--scale`` and ``--messy``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import re
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from sample_data import (
    CURRENT_DROP,
    PRODUCTS,
    SAMPLE_KEYWORD,
    Campaign,
    HealthRow,
    build_sample,
    earlier_drops,
)

LOG = logging.getLogger("generate_sample")

#: the two workbooks' header rows, as their exports spell them
BREAKOUT_HEADER = ["Campaign  ID", "Campaign Name", "GMAID", "Advertiser",
                   "Partner ", "Product", "Status", "Start Date"]  # fmt: skip
HEALTH_HEADER = ["CID", "Campaign", "Master Advertiser ID", "Advertiser Name",
                 "Account Manager", "Product", "Monthly Budget",
                 "Utilization %"]  # fmt: skip


#: how much messier a ``--messy`` export is than the sample
MESS = 2
#: rows between two subtotal rows, and between two repeated header rows
SUBTOTAL_EVERY, HEADER_EVERY = 5_000, 50_000
#: product spellings no alias knows (kept as written, and flagged)
UNKNOWN_PRODUCTS = ("Search Pro", "Local Video+", "Chat (beta)")


def messy_partner(rng: random.Random, partner: str, mess: int = 1) -> str:
    """Mostly the clean name; sometimes upper case, doubled or trailing spaces."""
    roll = rng.random() / mess
    if roll < 0.04:
        return partner.upper()
    if roll < 0.07:
        return partner.replace(" ", "  ") + " "
    if roll < 0.09:
        return partner.lower()
    return partner


def messy_spaces(rng: random.Random, text: str) -> str:
    """Sometimes pad a name with stray or non-breaking spaces."""
    roll = rng.random()
    if roll < 0.05:
        return f" {text}\u00a0"
    if roll < 0.08:
        return f"{text}  "
    return text


def breakout_rows(
    rng: random.Random, roster: list[Campaign], messy: bool = False
) -> list[list[object]]:
    """The roster as a messy export: numeric IDs, aliases, variants, dups, blanks."""
    mess = MESS if messy else 1
    rows: list[list[object]] = []
    for index, c in enumerate(roster):
        campaign_id: object = c.campaign_id
        if index % 29 == 0:
            campaign_id = str(c.campaign_id)  # number stored as text
        elif index % 31 == 0:
            campaign_id = float(c.campaign_id)
        start: object = c.start
        if index % 13 == 0:
            start = c.start.isoformat()
        elif index % 17 == 0:
            start = (c.start - dt.date(1899, 12, 30)).days  # Excel serial number
        rows.append(
            [
                campaign_id,
                messy_spaces(rng, c.name),
                c.maid if index % 7 else str(c.maid),
                messy_spaces(rng, c.advertiser),
                messy_partner(rng, c.partner, mess),
                rng.choice(PRODUCTS[c.product][1]),
                c.status,
                start,
            ]
        )
        if messy and index % 100 == 50:
            rows[-1][5] = UNKNOWN_PRODUCTS[index % len(UNKNOWN_PRODUCTS)]
    return _add_mess(rng, rows, BREAKOUT_HEADER, (6, 3), messy)


def health_rows(
    rng: random.Random, health: list[HealthRow], messy: bool = False
) -> list[list[object]]:
    """Health as a messy export: text IDs, currency text, percent text."""
    money_text, percent_text = (2, 2) if messy else (5, 4)
    rows: list[list[object]] = []
    for index, h in enumerate(health):
        campaign_id: object = str(h.campaign_id)
        if index % 9 == 0:
            campaign_id = f" {h.campaign_id}\u00a0"
        elif index % 19 == 0:
            campaign_id = h.campaign_id  # a number here, text elsewhere
        dollars = h.budget_cents / 100
        budget: object = dollars
        if index % money_text == 0:
            budget = f"${dollars:,.2f}"
        elif index % 11 == 0:
            budget = f" {dollars:,.2f} "
        utilization: object = h.utilization
        if index % percent_text == 0:
            utilization = f"{h.utilization * 100:.1f}%"
        rows.append(
            [
                campaign_id,
                h.name,
                str(h.maid),
                messy_spaces(rng, h.advertiser),
                h.am,
                h.product,
                budget,
                utilization,
            ]
        )
    return _add_mess(rng, rows, HEALTH_HEADER, (4, 2), messy)


def _add_mess(
    rng: random.Random,
    rows: list[list[object]],
    header: list[str],
    sample: tuple[int, int],
    messy: bool,
) -> list[list[object]]:
    """The sample's few exact duplicates and blank rows (``sample``); a messy
    export's in proportion to its rows, with its subtotal and header rows."""
    duplicates, blanks = (len(rows) // 300, len(rows) // 1000) if messy else sample
    rows = _add_duplicates_and_blanks(rng, rows, duplicates, blanks)
    return _add_block_rows(rows, header) if messy else rows


def _add_block_rows(rows: list[list[object]], header: list[str]) -> list[list[object]]:
    """A subtotal row after every SUBTOTAL_EVERY rows, and the header again
    (a second pasted block) after every HEADER_EVERY."""
    blocks: list[list[object]] = []
    for start in range(0, len(rows), SUBTOTAL_EVERY):
        block = rows[start : start + SUBTOTAL_EVERY]
        blocks += [*block, ["Subtotal", f"{len(block):,} campaigns"]]
        if (start + SUBTOTAL_EVERY) % HEADER_EVERY == 0:
            blocks.append(list(header))
    return blocks


def _add_duplicates_and_blanks(
    rng: random.Random, rows: list[list[object]], duplicates: int, blanks: int
) -> list[list[object]]:
    for _ in range(duplicates):
        rows.insert(rng.randrange(len(rows)), list(rng.choice(rows)))
    for _ in range(blanks):
        rows.insert(rng.randrange(1, len(rows)), [None] * len(rows[0]))
    return rows


def _save(workbook: Workbook, path: Path) -> None:
    """Save with fixed zip timestamps (same bytes every run), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    unstamped = path.with_name(f".{path.name}.unstamped")
    temporary = path.with_name(f".{path.name}.tmp")
    workbook.save(unstamped)
    with (
        zipfile.ZipFile(unstamped) as source,
        zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 1, 8, 0, 0))
            stamped.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "now"
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*",
                    rb"\g<1>2026-11-01T08:00:00Z",
                    content,
                )
            target.writestr(stamped, content)
    unstamped.unlink()
    os.replace(temporary, path)


def _workbook(title: str, scale: int) -> Workbook:
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    # only the scale-1 sample reproduces the real figures dbt checks exactly
    workbook.properties.keywords = (
        SAMPLE_KEYWORD if scale == 1 else f"{SAMPLE_KEYWORD} scale={scale}"
    )
    workbook.properties.creator = "partners pipeline sample generator"
    fixed = dt.datetime(2026, 11, 1, 8, 0, 0)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    return workbook


def write_breakout(
    path: Path,
    roster: list[Campaign],
    rng: random.Random,
    scale: int = 1,
    messy: bool = False,
) -> None:
    """Write the Breakout workbook: a notes sheet, a hidden lookup, the roster."""
    workbook = _workbook("Campaign Breakout", scale)
    notes = workbook.create_sheet("Read me")
    notes.append(["This export lists every campaign of every partner."])
    sheet = workbook.create_sheet("Breakout")
    sheet.append(["Campaign Breakout - all partners, all products"])
    sheet.append(["Exported 2026-11-01"])
    sheet.append([])
    sheet.append(BREAKOUT_HEADER)
    for row in breakout_rows(rng, roster, messy):
        sheet.append(row)
    sheet.append(["Grand Total", f"{len(roster):,} campaigns"])
    hidden = workbook.create_sheet("lookup")
    hidden.sheet_state = "hidden"
    hidden.append(["Campaign ID", "MAID", "Partner", "Product"])
    hidden.append([1, 1, "stale", "stale"])
    _save(workbook, path)


def write_health(
    path: Path,
    health: list[HealthRow],
    rng: random.Random,
    scale: int = 1,
    as_of: dt.date = CURRENT_DROP,
    messy: bool = False,
) -> None:
    """Write a Health workbook: a title row naming its month, then the campaigns."""
    workbook = _workbook("Campaign Health", scale)
    sheet = workbook.create_sheet("Health")
    sheet.append([f"Campaign Health - {as_of:%B %Y}"])
    sheet.append(HEALTH_HEADER)
    for row in health_rows(rng, health, messy):
        sheet.append(row)
    total = sum(h.budget_cents for h in health) / 100
    sheet.append(["Total", None, None, None, None, None, total, None])
    _save(workbook, path)


def generate(
    out_dir: Path,
    scale: int = 1,
    seed: int = 2067,
    history: bool = True,
    messy: bool = False,
) -> tuple[Path, Path]:
    """Write ``breakout.xlsx`` and ``health.xlsx`` into ``out_dir``.

    With ``history``, the earlier monthly Health drops go to
    ``out_dir/earlier/health_YYYY-MM.xlsx`` (see :func:`earlier_drop_paths`).
    """
    roster, health = build_sample(scale, seed)
    rng = random.Random(seed + 1)
    breakout_path, health_path = out_dir / "breakout.xlsx", out_dir / "health.xlsx"
    write_breakout(breakout_path, roster, rng, scale, messy)
    write_health(health_path, health, rng, scale, messy=messy)
    if history:
        for as_of, rows in earlier_drops(rng, roster, health, scale):
            path = out_dir / "earlier" / f"health_{as_of:%Y-%m}.xlsx"
            write_health(path, rows, rng, scale, as_of)
    LOG.info(
        "wrote %s (%d campaigns) and %s (%d campaigns)",
        breakout_path,
        len(roster),
        health_path,
        len(health),
    )
    return breakout_path, health_path


def earlier_drop_paths(out_dir: Path) -> list[Path]:
    """The earlier Health drops :func:`generate` wrote, oldest first."""
    return sorted((out_dir / "earlier").glob("health_*.xlsx"))


def main_job_arguments(out_dir: Path) -> list[str]:
    """The main job's options that build the sample :func:`generate` wrote
    into ``out_dir`` (as ``make partners`` does without workbooks): its two
    workbooks, its own history store and its earlier drops."""
    return [
        f"--breakout={out_dir / 'breakout.xlsx'}",
        f"--health={out_dir / 'health.xlsx'}",
        f"--history-dir={out_dir / 'history'}",
        "--earlier-health",
        *(str(path) for path in earlier_drop_paths(out_dir)),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="multiply the real sizes by this (default: 1)",
    )
    parser.add_argument("--seed", type=int, default=2067)
    parser.add_argument(
        "--no-history", action="store_true", help="skip the earlier Health drops"
    )
    parser.add_argument(
        "--messy",
        action="store_true",
        help="mess that grows with the file, as in a large real export "
        "(its figures are not the real ones)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    if args.scale < 1:
        parser.error("--scale must be 1 or more")
    if args.messy and args.scale == 1:
        parser.error("--messy needs --scale 2 or more: scale 1 is the sample")
    generate(args.out_dir, args.scale, args.seed, not args.no_history, args.messy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
