-- How much of each partner's portfolio has budget data, by count and by
-- dollars, lowest coverage first.
select
    partner_name,
    campaign_count,
    campaigns_with_budget_data,
    campaigns_without_budget_data,
    budget_coverage_by_count,
    budget_coverage_by_dollars
from {{ ref('partners') }}
order by budget_coverage_by_count asc, campaign_count desc, partner_name asc;
