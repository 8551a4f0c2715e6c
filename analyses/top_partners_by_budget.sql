-- Which partners carry the most known monthly budget, and how much of their
-- portfolio has budget data at all?
select
    partner_name,
    known_budget,
    live_known_budget,
    campaign_count,
    advertiser_count,
    budget_coverage_by_count
from {{ ref('partners') }}
order by known_budget desc, partner_name asc
limit 10;
