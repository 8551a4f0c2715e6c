{#
    The loaded Health campaigns of the current drop: the rows of
    stg_health__campaigns without a reject_reason whose drop is this run's
    Health file (int_health_drops, where is_current_drop). campaign_key is
    unique here (conflicting duplicates, also those whose IDs differ only in
    leading zeros, are rejected in staging), so a join on it cannot fan out.
#}

with

health as (

    select * from {{ ref('stg_health__campaigns') }}
    where reject_reason is null

),

current_drop as (

    select * from {{ ref('int_health_drops') }}
    where is_current_drop

),

loaded as (

    select
        health.campaign_id,
        health.campaign_key,
        health.maid,
        health.maid_key,
        health.campaign_name,
        health.advertiser_name,
        health.am,
        health.campaign_budget,
        health.utilization,
        health.source_file,
        health.source_row_number
    from health
    inner join current_drop
        on
            health.as_of_date = current_drop.as_of_date
            and health.source_file = current_drop.source_file

)

select * from loaded
