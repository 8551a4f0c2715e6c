-- Which partners carry the most known monthly budget, and how much of their
-- portfolio has budget data at all?
select
    partner_name,
    total_budget,
    campaign_count,
    advertiser_count,
    budget_coverage
from {{ ref('partners') }}
order by total_budget desc, partner_name asc
limit 10
