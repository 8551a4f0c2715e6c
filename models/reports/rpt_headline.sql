{#
    The headline strip of the report, unfiltered: one row. The page shows
    these figures as they are when no filter is on.
#}

with

portfolio_summary as (

    select * from {{ ref('portfolio_summary') }}

),

campaigns as (

    select * from {{ ref('rpt_campaigns') }}

),

campaign_totals as (

    select
        sum(case when is_tunable then 1 else 0 end) as tunable_campaign_count,
        sum(case when is_tunable and not has_health_data then 1 else 0 end)
            as tunable_campaigns_without_budget_data,
        sum(case when not is_tunable and not has_health_data then 1 else 0 end)
            as fixed_fee_campaigns_without_budget_data,
        sum(coalesce(estimated_only_budget, 0)) as estimated_only_budget
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
        {{ to_count('campaign_totals.tunable_campaign_count') }}
            as tunable_campaign_count,
        {{ to_count('campaign_totals.tunable_campaigns_without_budget_data') }}
            as tunable_campaigns_without_budget_data,
        {{ to_count(
            'campaign_totals.fixed_fee_campaigns_without_budget_data'
        ) }}
            as fixed_fee_campaigns_without_budget_data,
        {{ to_money('campaign_totals.estimated_only_budget') }}
            as estimated_only_budget,
        portfolio_summary.unmatched_health_campaign_count,
        portfolio_summary.unmatched_health_budget,
        portfolio_summary.health_budget,
        {{ to_count('1') }} as sort_order
    from portfolio_summary
    cross join campaign_totals

)

select * from headline
