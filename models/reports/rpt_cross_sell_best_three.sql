{#
    The cross-sell the page lists: each advertiser's best three actionable
    opportunities of rpt_cross_sell (all of them stay there), in its order.
#}

with

cross_sell as (

    select * from {{ ref('rpt_cross_sell') }}

),

best_three as (

    select
        partner_name,
        maid,
        product_type,
        reason,
        lift,
        expected_monthly_budget,
        sort_order
    from cross_sell
    where advertiser_rank <= 3

)

select * from best_three
