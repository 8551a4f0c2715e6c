"""The sample's campaigns, before any file is written: the roster, the Health
rows and the earlier Health drops, built to reproduce the real figures exactly
(2,067 roster campaigns, 588 advertisers, 449 matched Health campaigns with
$768,000.00, 351 the roster lacks with $712,000.00). generate_sample writes
them as messy workbooks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

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
