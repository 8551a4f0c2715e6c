{#
    The loaded Health campaigns: stg_health__campaigns without its rejects.
    campaign_key is unique here (conflicting duplicates, also those whose IDs
    differ only in leading zeros, are rejected in staging), so a join on it
    cannot fan out.
#}

with

health as (

    select * from {{ ref('stg_health__campaigns') }}
    where reject_reason is null

),

loaded as (

    select
        campaign_id,
        campaign_key,
        maid,
        maid_key,
        campaign_name,
        advertiser_name,
        am,
        campaign_budget,
        utilization,
        source_file,
        source_row_number
    from health

)

select * from loaded
