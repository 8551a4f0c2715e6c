-- How much of each partner's portfolio has budget data, lowest coverage first.
select
    partner_name,
    campaign_count,
    campaigns_with_budget_data,
    campaigns_without_budget_data,
    budget_coverage
from {{ ref('partners') }}
order by budget_coverage asc, campaign_count desc, partner_name asc
