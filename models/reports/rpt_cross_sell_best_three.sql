{#
    The cross-sell ideas the page lists: each advertiser's best three ideas of
    rpt_cross_sell by idea score (all of them stay there), in its order.
#}

with

cross_sell as (

    select * from {{ ref('rpt_cross_sell') }}

),

best_three as (

    select
        partner_name,
        maid,
        advertiser_name,
        product_type,
        reason,
        lift,
        idea_score,
        expected_monthly_budget,
        sort_order
    from cross_sell
    where advertiser_rank <= 3

)

select * from best_three
