{#
    One row per advertiser of a partner, for the partner view: its products
    with this partner and its full product mix across every partner (whatever
    the page's filters), its budgets, its budget gap and its best actionable
    cross-sell. Sorted by partner, then by known budget.
#}

with

partner_advertisers as (

    select * from {{ ref('partner_advertisers') }}

),

campaigns as (

    select * from {{ ref('campaigns') }}

),

cross_sell as (

    select * from {{ ref('rpt_cross_sell') }}

),

advertiser_portfolios as (

    select
        maid,
        {{ sorted_distinct_list('product_type') }} as all_product_types,
        count(distinct partner_name) as partner_count
    from campaigns
    group by 1

),

best_opportunities as (

    select
        partner_name,
        maid,
        product_type as top_opportunity_product_type,
        reason as top_opportunity_reason,
        expected_monthly_budget as top_opportunity_expected_budget
    from cross_sell
    where advertiser_rank = 1

),

advertisers_with_portfolios as (

    select
        partner_advertisers.partner_name,
        partner_advertisers.maid,
        partner_advertisers.advertiser_name,
        partner_advertisers.campaign_count,
        partner_advertisers.product_types,
        advertiser_portfolios.all_product_types,
        {{ to_count('advertiser_portfolios.partner_count') }} as partner_count,
        partner_advertisers.known_budget,
        partner_advertisers.campaigns_with_budget_data,
        {{ derived_campaign_measures(
            ['campaigns_without_budget_data'], totals='partner_advertisers'
        ) }},
        {{ to_money(
            'partner_advertisers.estimated_only_budget'
        ) }} as estimated_only_budget,
        best_opportunities.top_opportunity_product_type,
        best_opportunities.top_opportunity_reason,
        best_opportunities.top_opportunity_expected_budget,
        {{ row_order([
            'partner_advertisers.partner_name asc',
            'partner_advertisers.known_budget desc',
            'partner_advertisers.known_and_estimated_budget desc',
            'partner_advertisers.maid asc'
        ]) }} as sort_order
    from partner_advertisers
    left join advertiser_portfolios
        on partner_advertisers.maid = advertiser_portfolios.maid
    left join best_opportunities
        on
            partner_advertisers.partner_name = best_opportunities.partner_name
            and partner_advertisers.maid = best_opportunities.maid

)

select * from advertisers_with_portfolios
