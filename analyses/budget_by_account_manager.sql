-- Budget by account manager, Health campaigns outside the roster included:
-- the rows add up to the whole Health total.
select
    am,
    campaign_count,
    roster_campaign_count,
    unmatched_health_campaign_count,
    health_budget,
    roster_known_budget,
    unmatched_health_budget,
    live_known_budget
from {{ ref('account_managers') }}
order by health_budget desc, am asc;
