{#
    Returns 0 rows when the estimated budget of the portfolio is at least the
    known (actual) budget: estimates only ever add to what is known.
#}

with

totals as (

    select
        sum(campaign_budget) as known_budget,
        sum(known_and_estimated_budget) as known_and_estimated_budget
    from {{ ref('campaigns') }}

)

select *
from totals
where known_and_estimated_budget < known_budget
