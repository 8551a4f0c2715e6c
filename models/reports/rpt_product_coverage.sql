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
        {{ campaign_measures([
            'campaign_count',
            'advertiser_count',
            'partner_count',
            'campaigns_with_budget_data',
            'known_budget'
        ]) }},
        sum(
            case when not has_health_data then estimated_only_budget else 0 end
        ) as estimated_only_budget
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
        {{ to_count('product_totals.campaign_count') }} as campaign_count,
        {{ to_count('product_totals.advertiser_count') }} as advertiser_count,
        {{ to_count('product_totals.partner_count') }} as partner_count,
        {{ to_count('product_totals.campaigns_with_budget_data') }}
            as campaigns_with_budget_data,
        {{ to_count(
            'product_totals.campaign_count'
            ~ ' - product_totals.campaigns_with_budget_data'
        ) }} as campaigns_without_budget_data,
        cast(
            round(
                1.0 * product_totals.campaigns_with_budget_data
                / product_totals.campaign_count,
                4
            ) as decimal(9, 4)
        ) as budget_coverage_by_count,
        {{ to_money('product_totals.known_budget') }} as known_budget,
        cast(
            case
                when all_known.portfolio_known_budget > 0
                    then
                        round(
                            product_totals.known_budget
                            / all_known.portfolio_known_budget,
                            4
                        )
                else 0
            end as decimal(9, 4)
        ) as known_budget_share,
        {{ to_money('product_totals.estimated_only_budget') }}
            as estimated_only_budget,
        cast(
            case
                when
                    product_totals.known_budget
                    + product_totals.estimated_only_budget
                    > 0
                    then
                        round(
                            product_totals.known_budget
                            / (
                                product_totals.known_budget
                                + product_totals.estimated_only_budget
                            ),
                            4
                        )
                else 0
            end as decimal(9, 4)
        ) as budget_coverage_by_dollars,
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
