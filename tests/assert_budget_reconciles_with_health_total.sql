{#
    Returns 0 rows when the budget on roster campaigns plus the budget of
    unmatched health campaigns equals the Health workbook's loaded total, and
    the reconciliation buckets say the same: no budget is lost or counted twice.
#}

with

health_total as (

    select sum(campaign_budget) as total_budget
    from {{ ref('int_health_campaigns') }}

),

campaigns_total as (

    select sum(campaign_budget) as total_budget
    from {{ ref('campaigns') }}

),

unmatched_total as (

    select coalesce(sum(campaign_budget), 0) as total_budget
    from {{ ref('unmatched_health_campaigns') }}

),

reconciliation_total as (

    select sum(known_budget) as total_budget
    from {{ ref('budget_reconciliation') }}

)

select
    health_total.total_budget as health_budget,
    campaigns_total.total_budget as campaigns_budget,
    unmatched_total.total_budget as unmatched_budget,
    reconciliation_total.total_budget as reconciliation_budget
from health_total
cross join campaigns_total
cross join unmatched_total
cross join reconciliation_total
where
    campaigns_total.total_budget + unmatched_total.total_budget
    != health_total.total_budget
    or reconciliation_total.total_budget != health_total.total_budget
