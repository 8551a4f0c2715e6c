{#
    One row per product type: the first gap (roster campaigns without budget
    data) by count and by dollars. Only tunable products are expected to have
    health data; the others have none by design. Ranked by campaigns.
#}

with

campaigns as (

    select * from {{ ref('campaigns') }}

),

typical_budgets as (

    select * from {{ ref('int_product_typical_budgets') }}

),

product_totals as (

    select
        product_type,
        min(product_family) as product_family,
        bool_or(is_tunable) as is_tunable,
        {{ campaign_measures() }}
    from campaigns
    group by 1

),

all_known as (

    select sum(known_budget) as portfolio_known_budget
    from product_totals

),

coverage as (

    select
        product_totals.product_type,
        product_totals.product_family,
        product_totals.is_tunable,
        product_totals.campaign_count,
        product_totals.advertiser_count,
        product_totals.partner_count,
        product_totals.campaigns_with_budget_data,
        {{ derived_campaign_measures([
            'campaigns_without_budget_data', 'budget_coverage_by_count'
        ], totals='product_totals') }},
        product_totals.known_budget,
        {{ share_of_positive_total(
            'product_totals.known_budget / all_known.portfolio_known_budget',
            'all_known.portfolio_known_budget'
        ) }} as known_budget_share,
        product_totals.estimated_only_budget,
        {{ derived_campaign_measures(
            ['budget_coverage_by_dollars'], totals='product_totals'
        ) }},
        {{ to_money('typical_budgets.typical_budget') }} as typical_budget,
        case
            when typical_budgets.default_monthly_budget is not null
                then 'product default'
            when typical_budgets.median_actual_budget is not null
                then 'median actual budget'
            else 'none'
        end as typical_budget_basis,
        {{ row_order([
            'product_totals.campaign_count desc',
            'product_totals.product_type asc'
        ]) }} as sort_order
    from product_totals
    cross join all_known
    left join typical_budgets
        on product_totals.product_type = typical_budgets.product_type

)

select * from coverage
