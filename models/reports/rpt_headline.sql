{#
    The headline strip of the report, unfiltered: one row. The page shows
    these figures as they are when no filter is on.
#}

with

portfolio_summary as (

    select * from {{ ref('portfolio_summary') }}

),

campaigns as (

    select * from {{ ref('campaigns') }}

),

campaign_totals as (

    select
        {{ campaign_measures([
            'campaign_count',
            'campaigns_with_budget_data',
            'tunable_campaign_count',
            'tunable_campaigns_with_budget_data'
        ]) }}
    from campaigns

),

headline as (

    select
        portfolio_summary.campaign_count,
        portfolio_summary.advertiser_count,
        portfolio_summary.partner_count,
        portfolio_summary.product_type_count,
        portfolio_summary.known_budget,
        portfolio_summary.campaigns_with_budget_data,
        portfolio_summary.campaigns_without_budget_data,
        campaign_totals.tunable_campaign_count,
        {{ derived_campaign_measures([
            'tunable_campaigns_without_budget_data',
            'fixed_fee_campaigns_without_budget_data'
        ], totals='campaign_totals') }},
        portfolio_summary.estimated_only_budget,
        portfolio_summary.unmatched_health_campaign_count,
        portfolio_summary.unmatched_health_budget,
        portfolio_summary.unattributed_health_budget,
        portfolio_summary.health_budget,
        {{ to_count('1') }} as sort_order
    from portfolio_summary
    cross join campaign_totals

)

select * from headline
