{#
    The roster is the base: every roster campaign appears exactly once, with
    the health data left-joined onto it. Health's campaign_id is unique
    (tested in int_health_campaigns), matched on campaign_key so that IDs differing only in leading zeros match; the roster's spelling is shown, so the join cannot fan out; the estimates have one
    row per roster campaign (tested).
#}

with

roster as (

    select * from {{ ref('int_roster_campaigns') }}

),

health as (

    select * from {{ ref('int_health_campaigns') }}

),

budget_estimates as (

    select * from {{ ref('int_campaign_budget_estimates') }}

),

roster_joined_to_health as (

    select
        roster.campaign_id,
        roster.campaign_name,
        roster.maid,
        roster.advertiser_name,
        roster.partner_name,
        roster.product_type,
        roster.source_product_type,
        roster.is_known_product_type,
        roster.product_family,
        roster.is_tunable,
        roster.campaign_status,
        {{ is_live_status('roster.campaign_status') }} as is_live,
        roster.start_date,
        cast(
            coalesce(health.campaign_budget, 0) as decimal(18, 2)
        ) as campaign_budget,
        health.campaign_id is not null as has_health_data,
        health.am,
        health.utilization,
        cast(
            case
                when budget_estimates.budget_source = 'actual' then 0
                else coalesce(budget_estimates.estimated_budget, 0)
            end as decimal(18, 2)
        ) as estimated_only_budget,
        budget_estimates.estimated_budget as known_and_estimated_budget,
        budget_estimates.budget_source,
        roster.source_row_number
    from roster
    left join health
        on roster.campaign_key = health.campaign_key
    left join budget_estimates
        on roster.campaign_id = budget_estimates.campaign_id

)

select * from roster_joined_to_health
