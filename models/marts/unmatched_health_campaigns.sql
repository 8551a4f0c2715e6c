{#
    The "gap identified": health campaigns whose campaign_id is not in the
    roster. Their budget is real but belongs to no roster campaign, so it is
    listed here rather than silently dropped by the roster-based join.
#}

with

health as (

    select * from {{ ref('stg_health__campaigns') }}

),

roster as (

    select * from {{ ref('stg_breakout__campaigns') }}

),

roster_advertisers as (

    select distinct maid from roster

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
        roster_advertisers.maid is not null as is_advertiser_in_roster,
        health.source_row_number
    from health
    left join roster
        on health.campaign_id = roster.campaign_id
    left join roster_advertisers
        on health.maid = roster_advertisers.maid
    where roster.campaign_id is null

)

select * from health_not_in_roster
