{#
    Returns 0 rows when gap 2 (the health budget outside the roster) is the
    partners' gap 2 (each campaign attributed to one partner through its
    advertiser) plus the part attributed to no partner: the partner table's
    column adds up to its total with the unattributed row under it.
#}

with

partner_totals as (

    select coalesce(sum(unmatched_health_budget), 0) as unmatched_health_budget
    from {{ ref('rpt_partners') }}

),

portfolio as (

    select
        unmatched_health_budget,
        unattributed_health_budget
    from {{ ref('portfolio_summary') }}

)

select
    portfolio.unmatched_health_budget,
    portfolio.unattributed_health_budget,
    partner_totals.unmatched_health_budget as partners_unmatched_health_budget
from portfolio
cross join partner_totals
where
    portfolio.unmatched_health_budget
    != portfolio.unattributed_health_budget
    + partner_totals.unmatched_health_budget
