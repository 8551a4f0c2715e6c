{#
    The roster is the base: every roster campaign appears exactly once, with
    its Health data as int_campaign_matches matched it (budget 0 where there
    is none) and its budget estimate (one row per roster campaign, tested).
#}

with

campaign_matches as (

    select * from {{ ref('int_campaign_matches') }}
    where has_roster_data

),

budget_estimates as (

    select * from {{ ref('int_campaign_budget_estimates') }}

),

campaigns_with_budgets as (

    select
        campaign_matches.campaign_id,
        campaign_matches.campaign_name,
        campaign_matches.maid,
        campaign_matches.advertiser_name,
        campaign_matches.partner_name,
        campaign_matches.product_type,
        campaign_matches.source_product_type,
        campaign_matches.is_known_product_type,
        campaign_matches.product_family,
        campaign_matches.is_tunable,
        campaign_matches.campaign_status,
        campaign_matches.is_live,
        campaign_matches.start_date,
        {{ to_money(
            'coalesce(campaign_matches.campaign_budget, 0)'
        ) }} as campaign_budget,
        campaign_matches.has_health_data,
        campaign_matches.am,
        campaign_matches.utilization,
        cast(
            case
                when budget_estimates.budget_source = 'actual' then 0
                else coalesce(budget_estimates.known_and_estimated_budget, 0)
            end as decimal(18, 2)
        ) as estimated_only_budget,
        budget_estimates.known_and_estimated_budget,
        budget_estimates.budget_source,
        campaign_matches.roster_row_number as source_row_number
    from campaign_matches
    left join budget_estimates
        on campaign_matches.campaign_id = budget_estimates.campaign_id

)

select * from campaigns_with_budgets
order by campaign_id
