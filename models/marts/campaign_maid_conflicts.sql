{#
    Campaigns both workbooks hold (matched on campaign_key) whose MAID
    differs between them (compared on maid_key, so leading zeros alone are
    no conflict): the Health row's budget is counted on the roster campaign,
    but one of the two files names the wrong advertiser. Listed, not ignored.
#}

with

roster as (

    select * from {{ ref('int_roster_campaigns') }}

),

health as (

    select * from {{ ref('int_health_campaigns') }}

),

roster_joined_to_health as (

    select
        roster.campaign_id,
        roster.maid as roster_maid,
        health.maid as health_maid,
        roster.advertiser_name as roster_advertiser_name,
        health.advertiser_name as health_advertiser_name,
        roster.partner_name,
        health.campaign_budget,
        roster.source_row_number as roster_row_number,
        health.source_row_number as health_row_number
    from roster
    inner join health
        on roster.campaign_key = health.campaign_key
    where
        health.maid_key is not null
        and roster.maid_key != health.maid_key

)

select * from roster_joined_to_health
