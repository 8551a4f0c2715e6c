{#
    The "gap identified": health campaigns whose campaign_id is not in the
    roster. Their budget is real but belongs to no roster campaign, so it is
    listed here rather than silently dropped by the roster-based join.
#}

with

health as (

    select * from {{ ref('int_health_campaigns') }}

),

roster as (

    select * from {{ ref('int_roster_campaigns') }}

),

roster_advertisers as (

    select distinct maid_key from roster

),

health_not_in_roster as (

    select
        health.campaign_id,
        health.campaign_name,
        health.maid,
        health.advertiser_name,
        health.am,
        health.campaign_budget,
        health.utilization,
        roster_advertisers.maid_key is not null as is_advertiser_in_roster,
        health.source_row_number
    from health
    left join roster
        on health.campaign_key = roster.campaign_key
    left join roster_advertisers
        on health.maid_key = roster_advertisers.maid_key
    where roster.campaign_key is null

)

select * from health_not_in_roster
