-- Live campaigns (status Active) per partner beside all campaigns: how much
-- of each portfolio and of its known budget is live.
select
    partner_name,
    campaign_count,
    live_campaign_count,
    known_budget,
    live_known_budget,
    live_advertiser_count
from {{ ref('partners') }}
order by live_known_budget desc, partner_name asc;
