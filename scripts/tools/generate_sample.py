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

The output is deterministic for a given ``--seed`` and ``--scale``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import logging
import os
import random
import re
import sys
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

LOG = logging.getLogger("generate_sample")
#: stamped into the scale-1 sample workbooks' properties (scaled ones say their scale)
SAMPLE_KEYWORD = "partners-pipeline-sample"

ROSTER_CAMPAIGNS = 2067
ADVERTISERS = 588
HEALTH_MATCHED = 449
HEALTH_ONLY = 351
MATCHED_BUDGET_CENTS = 76_800_000
HEALTH_ONLY_BUDGET_CENTS = 71_200_000
TWO_PARTNER_ADVERTISERS = 12

#: canonical product -> (weight in the roster, spellings seen in exports)
PRODUCTS: dict[str, tuple[int, tuple[str, ...]]] = {
    "Search": (34, ("Search", "Search", "Paid Search", "SEM")),
    "Display": (14, ("Display", "Targeted Display")),
    "Chat": (9, ("Chat", "Live Chat")),
    "SEO": (9, ("SEO",)),
    "Social": (8, ("Social", "Facebook")),
    "XMO": (6, ("XMO",)),
    "Video": (5, ("Video", "YouTube")),
    "Website": (5, ("Website",)),
    "Email": (4, ("Email",)),
    "Listings": (4, ("Listings",)),
    "Call Tracking": (2, ("Call Tracking", "TotalTrack")),
}
TUNABLE = ("Search", "Display", "Social", "Video", "XMO")
#: what advertisers buy together, with how often each bundle is chosen: an
#: advertiser draws one bundle and most of its campaigns come from it, so the
#: sample shows the affinities real portfolios have (lift well above 1)
BUNDLES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("Search", "Call Tracking"), 16),
    (("Search",), 14),
    (("SEO", "Listings"), 10),
    (("Display", "Social"), 10),
    (("Search", "Display", "XMO"), 8),
    (("Website", "SEO", "Listings"), 7),
    (("Chat", "Website"), 7),
    (("Video", "Display"), 6),
    (("Social", "Email"), 5),
    (("Search", "Chat"), 5),
    (("XMO", "Video"), 4),
)
#: the share of an advertiser's campaigns drawn from its bundle (the rest from
#: the overall product weights)
BUNDLE_SHARE = 0.8

PARTNER_NAMES = (
    "Acme Media",
    "Blue Harbor Digital",
    "Cedar Lane Marketing",
    "Delta Local",
    "Evergreen Ads",
    "Foxglove Partners",
    "Granite Peak Media",
    "Harbor & Vine",
    "Ironwood Digital",
    "Juniper Growth",
    "Keystone Reach",
    "Lakeside Marketing",
    "Maple Street Media",
    "Northwind Local",
    "Oak & Ember",
    "Pinecrest Digital",
    "Quarry Hill Ads",
    "Riverbend Media",
    "Summit Local Co",
    "Tidewater Digital",
    "Upland Marketing",
    "Valley Forge Media",
    "Willow Creek Ads",
    "Yellowstone Reach",
)
BUSINESS_WORDS = (
    "Plumbing",
    "Dental",
    "Auto Repair",
    "Roofing",
    "Law Group",
    "Pet Care",
    "Bakery",
    "Fitness",
    "HVAC",
    "Landscaping",
    "Realty",
    "Vision Clinic",
    "Chiropractic",
    "Florist",
    "Insurance",
    "Pizzeria",
    "Salon",
    "Storage",
)
TOWNS = (
    "Springfield",
    "Riverside",
    "Fairview",
    "Madison",
    "Georgetown",
    "Salem",
    "Franklin",
    "Clinton",
    "Greenville",
    "Bristol",
    "Ashland",
    "Dover",
)
ACCOUNT_MANAGERS = (
    "A. Rivera",
    "B. Chen",
    "C. Okafor",
    "D. Novak",
    "E. Haddad",
    "F. Larsen",
    "G. Mendes",
    "H. Sato",
    "I. Walsh",
    "J. Kowalski",
)
STATUSES = ("Active", "Active", "Active", "Paused", "Ended")
#: the current Health drop, and the earlier monthly drops the sample also writes
CURRENT_DROP = dt.date(2026, 11, 1)
EARLIER_DROPS = (dt.date(2026, 9, 1), dt.date(2026, 10, 1))
#: roster campaigns that had health data in earlier drops but not now, per scale
LAPSED_CAMPAIGNS = 60


@dataclass
class Campaign:
    """One clean roster campaign before it is written messily."""

    campaign_id: int
    name: str
    maid: int
    advertiser: str
    partner: str
    product: str
    status: str
    start: dt.date


@dataclass
class HealthRow:
    """One clean health campaign before it is written messily."""

    campaign_id: int
    name: str
    maid: int
    advertiser: str
    am: str
    product: str
    budget_cents: int
    utilization: float


def split_cents(rng: random.Random, count: int, total_cents: int) -> list[int]:
    """Split ``total_cents`` into ``count`` positive, skewed amounts summing exactly."""
    weights = [rng.lognormvariate(0, 0.8) for _ in range(count)]
    floor_cents = 5_000  # $50 minimum
    spare = total_cents - floor_cents * count
    scale = spare / sum(weights)
    cents = [floor_cents + int(weight * scale) for weight in weights]
    for index in range(total_cents - sum(cents)):
        cents[index % count] += 1
    return cents


def bundle_product(
    rng: random.Random,
    bundle: tuple[str, ...],
    held: int,
    products: list[str],
    weights: list[int],
) -> str:
    """The product of an advertiser's next campaign, given its bundle.

    Its first campaigns cover the bundle in order; later ones come from the
    bundle most of the time, else from the overall product weights.
    """
    if held < len(bundle):
        return bundle[held]
    if rng.random() < BUNDLE_SHARE:
        return rng.choice(bundle)
    return rng.choices(products, weights)[0]


def build_sample(
    scale: int = 1, seed: int = 2067
) -> tuple[list[Campaign], list[HealthRow]]:
    """Build the clean sample at ``scale`` times the real size."""
    rng = random.Random(seed)
    n_campaigns = ROSTER_CAMPAIGNS * scale
    n_advertisers = ADVERTISERS * scale
    partners = [
        name
        if index < len(PARTNER_NAMES)
        else f"{name} {index // len(PARTNER_NAMES) + 1}"
        for index, name in enumerate(PARTNER_NAMES * max(1, round(scale**0.5)))
    ]
    partner_weights = [rng.uniform(0.3, 3.0) for _ in partners]
    ids = rng.sample(range(1_000_000, 9_999_999), n_campaigns + HEALTH_ONLY * scale)
    maids = rng.sample(range(100_000, 999_999), n_advertisers + HEALTH_ONLY * scale)
    advertisers = []
    for index in range(n_advertisers):
        name = (
            f"{rng.choice(TOWNS)} {rng.choice(BUSINESS_WORDS)}"
            f" {'' if index < 10 else index}".strip()
        )
        partner = rng.choices(partners, partner_weights)[0]
        advertisers.append((maids[index], name, partner))
    # every advertiser has one campaign; the rest are spread unevenly
    owners = list(range(n_advertisers))
    owners += rng.choices(
        range(n_advertisers),
        weights=[rng.paretovariate(1.6) for _ in range(n_advertisers)],
        k=n_campaigns - n_advertisers,
    )
    rng.shuffle(owners)
    products = list(PRODUCTS)
    product_weights = [PRODUCTS[p][0] for p in products]
    bundles = [
        rng.choices([b for b, _ in BUNDLES], [w for _, w in BUNDLES])[0]
        for _ in range(n_advertisers)
    ]
    roster: list[Campaign] = []
    positions_by_owner: dict[int, list[int]] = defaultdict(list)
    for position, owner in enumerate(owners):
        maid, advertiser, partner = advertisers[owner]
        product = bundle_product(
            rng, bundles[owner], len(positions_by_owner[owner]), products,
            product_weights,
        )  # fmt: skip
        positions_by_owner[owner].append(position)
        roster.append(
            Campaign(
                campaign_id=ids[position],
                name=f"{advertiser} - {product} {rng.randint(1, 9)}",
                maid=maid,
                advertiser=advertiser,
                partner=partner,
                product=product,
                status=rng.choice(STATUSES),
                start=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1000)),
            )
        )
    # a few advertisers also buy through a second partner: their last campaign
    several = sorted(o for o, found in positions_by_owner.items() if len(found) > 1)
    for owner in rng.sample(several, TWO_PARTNER_ADVERTISERS * scale):
        campaign = roster[positions_by_owner[owner][-1]]
        campaign.partner = rng.choice([p for p in partners if p != campaign.partner])
    # budget data on tunable campaigns of every tunable product, Search most
    tunable = [c for c in roster if c.product in TUNABLE]
    tunable.sort(key=lambda c: rng.random() * (1.0 if c.product == "Search" else 1.6))
    matched = tunable[: HEALTH_MATCHED * scale]
    matched_cents = split_cents(rng, len(matched), MATCHED_BUDGET_CENTS * scale)
    health = [
        HealthRow(
            c.campaign_id,
            c.name,
            c.maid,
            c.advertiser,
            rng.choice(ACCOUNT_MANAGERS),
            c.product,
            cents,
            round(rng.uniform(0.45, 1.25), 4),
        )
        for c, cents in zip(matched, matched_cents, strict=True)
    ]
    only_cents = split_cents(rng, HEALTH_ONLY * scale, HEALTH_ONLY_BUDGET_CENTS * scale)
    for index, cents in enumerate(only_cents):
        if index % 2 == 0:  # an advertiser the roster knows, a campaign it lacks
            maid, advertiser, _ = advertisers[rng.randrange(n_advertisers)]
        else:  # an advertiser the roster does not have at all
            maid = maids[n_advertisers + index]
            advertiser = f"{rng.choice(TOWNS)} {rng.choice(BUSINESS_WORDS)} {index}"
        product = rng.choice(("Search", "Search", "Search", "Display", "Social"))
        health.append(
            HealthRow(
                ids[n_campaigns + index],
                f"{advertiser} - {product}",
                maid,
                advertiser,
                rng.choice(ACCOUNT_MANAGERS),
                product,
                cents,
                round(rng.uniform(0.45, 1.25), 4),
            )
        )
    rng.shuffle(health)
    return roster, health


def earlier_drops(
    rng: random.Random, roster: list[Campaign], health: list[HealthRow], scale: int
) -> list[tuple[dt.date, list[HealthRow]]]:
    """Earlier monthly Health drops: budgets that moved, campaigns that came and went.

    Each earlier drop has most of today's campaigns (some appeared only later)
    with budgets up to 15% different, plus roster campaigns that have since
    lapsed from the Health workbook: their last known budget is what the
    ``history`` estimate uses.
    """
    current = {h.campaign_id for h in health}
    lapsed_pool = sorted(
        (c for c in roster if c.product in TUNABLE and c.campaign_id not in current),
        key=lambda c: c.campaign_id,
    )
    lapsed = rng.sample(lapsed_pool, min(len(lapsed_pool), LAPSED_CAMPAIGNS * scale))
    drops = []
    for age, as_of in enumerate(reversed(EARLIER_DROPS), start=1):
        rows = [
            dataclasses.replace(
                h, budget_cents=int(h.budget_cents * rng.uniform(0.85, 1.15))
            )
            for h in health
            if rng.random() >= 0.06 * age  # newer campaigns are missing earlier
        ]
        rows += [
            HealthRow(c.campaign_id, c.name, c.maid, c.advertiser,
                      rng.choice(ACCOUNT_MANAGERS), c.product,
                      rng.randrange(20_000, 300_000), round(rng.uniform(0.4, 1.2), 4))
            for c in lapsed[: len(lapsed) * (len(EARLIER_DROPS) + 1 - age)
                            // len(EARLIER_DROPS)]
        ]  # fmt: skip
        rng.shuffle(rows)
        drops.append((as_of, rows))
    return sorted(drops, key=lambda drop: drop[0])


def messy_partner(rng: random.Random, partner: str) -> str:
    """Mostly the clean name; sometimes upper case, doubled or trailing spaces."""
    roll = rng.random()
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


def breakout_rows(rng: random.Random, roster: list[Campaign]) -> list[list[object]]:
    """The roster as a messy export: numeric IDs, aliases, variants, dups, blanks."""
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
                messy_partner(rng, c.partner),
                rng.choice(PRODUCTS[c.product][1]),
                c.status,
                start,
            ]
        )
    return _add_duplicates_and_blanks(rng, rows, duplicates=6, blanks=3)


def health_rows(rng: random.Random, health: list[HealthRow]) -> list[list[object]]:
    """Health as a messy export: text IDs, currency text, percent text."""
    rows: list[list[object]] = []
    for index, h in enumerate(health):
        campaign_id: object = str(h.campaign_id)
        if index % 9 == 0:
            campaign_id = f" {h.campaign_id}\u00a0"
        elif index % 19 == 0:
            campaign_id = h.campaign_id  # a number here, text elsewhere
        dollars = h.budget_cents / 100
        budget: object = dollars
        if index % 5 == 0:
            budget = f"${dollars:,.2f}"
        elif index % 11 == 0:
            budget = f" {dollars:,.2f} "
        utilization: object = h.utilization
        if index % 4 == 0:
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
    return _add_duplicates_and_blanks(rng, rows, duplicates=4, blanks=2)


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
    path: Path, roster: list[Campaign], rng: random.Random, scale: int = 1
) -> None:
    """Write the Breakout workbook: a notes sheet, a hidden lookup, the roster."""
    workbook = _workbook("Campaign Breakout", scale)
    notes = workbook.create_sheet("Read me")
    notes.append(["This export lists every campaign of every partner."])
    sheet = workbook.create_sheet("Breakout")
    sheet.append(["Campaign Breakout - all partners, all products"])
    sheet.append(["Exported 2026-11-01"])
    sheet.append([])
    sheet.append(
        [
            "Campaign  ID",
            "Campaign Name",
            "GMAID",
            "Advertiser",
            "Partner ",
            "Product",
            "Status",
            "Start Date",
        ]
    )
    for row in breakout_rows(rng, roster):
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
) -> None:
    """Write a Health workbook: a title row naming its month, then the campaigns."""
    workbook = _workbook("Campaign Health", scale)
    sheet = workbook.create_sheet("Health")
    sheet.append([f"Campaign Health - {as_of:%B %Y}"])
    sheet.append(
        [
            "CID",
            "Campaign",
            "Master Advertiser ID",
            "Advertiser Name",
            "Account Manager",
            "Product",
            "Monthly Budget",
            "Utilization %",
        ]
    )
    for row in health_rows(rng, health):
        sheet.append(row)
    total = sum(h.budget_cents for h in health) / 100
    sheet.append(["Total", None, None, None, None, None, total, None])
    _save(workbook, path)


def generate(
    out_dir: Path, scale: int = 1, seed: int = 2067, history: bool = True
) -> tuple[Path, Path]:
    """Write ``breakout.xlsx`` and ``health.xlsx`` into ``out_dir``.

    With ``history``, the earlier monthly Health drops go to
    ``out_dir/earlier/health_YYYY-MM.xlsx`` (see :func:`earlier_drop_paths`).
    """
    roster, health = build_sample(scale, seed)
    rng = random.Random(seed + 1)
    breakout_path, health_path = out_dir / "breakout.xlsx", out_dir / "health.xlsx"
    write_breakout(breakout_path, roster, rng, scale)
    write_health(health_path, health, rng, scale)
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
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    if args.scale < 1:
        parser.error("--scale must be 1 or more")
    generate(args.out_dir, args.scale, args.seed, history=not args.no_history)
    return 0


if __name__ == "__main__":
    sys.exit(main())
