{#
    One typical monthly budget per product type of the roster: the product's
    default_monthly_budget in ref_product_types when set, else the median
    actual budget of its campaigns with health data (null when it has none).
    Used by both the product_default estimate and the cross-sell expected
    budget, so the two always agree. Medians come from actual budgets only:
    estimates never feed back into them.
#}

with

campaign_matches as (

    select * from {{ ref('int_campaign_matches') }}

),

product_types as (

    select * from {{ ref('ref_product_types') }}

),

roster_product_types as (

    select distinct product_type
    from campaign_matches
    where has_roster_data

),

actual_medians as (

    select
        product_type,
        {#- in whole cents, half a cent up: the mean of the two middle
            budgets can end in half a cent, which DuckDB (double) and Spark
            (decimal) would otherwise round apart -#}
        cast(
            round(
                percentile_cont(0.5) within group (
                    order by cast(campaign_budget * 100 as bigint)
                )
            )
            / 100 as decimal(18, 2)
        ) as median_actual_budget
    from campaign_matches
    where match_status = 'matched'
    group by 1

),

typical_budgets as (

    select
        roster_product_types.product_type,
        actual_medians.median_actual_budget,
        product_types.default_monthly_budget,
        coalesce(
            product_types.default_monthly_budget,
            actual_medians.median_actual_budget
        ) as typical_budget
    from roster_product_types
    left join actual_medians
        on roster_product_types.product_type = actual_medians.product_type
    left join product_types
        on roster_product_types.product_type = product_types.product_type

)

select * from typical_budgets
