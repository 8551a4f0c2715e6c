-- Campaigns whose budget changed between the two latest Health drops,
-- largest change first: changed budgets and campaigns that left the latest
-- drop (departed: budget 0, the change minus the budget they had).
select
    campaign_id,
    partner_name,
    am,
    change_type,
    previous_as_of_date,
    as_of_date,
    previous_budget,
    campaign_budget,
    budget_change
from {{ ref('campaign_budget_history') }}
where is_latest_drop and change_type in ('changed', 'departed')
order by abs(budget_change) desc, campaign_id asc;
