{#
    The loaded rows of every Health drop: stg_health__campaigns without its
    rejects; one row per (as-of date, campaign_key).
#}

with

budget_history as (

    select * from {{ ref('stg_health__campaigns') }}
    where reject_reason is null

),

loaded as (

    select
        as_of_date,
        campaign_id,
        campaign_key,
        maid,
        maid_key,
        am,
        campaign_budget
    from budget_history

)

select * from loaded
