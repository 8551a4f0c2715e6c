{#
    The Data quality section's buckets: campaigns of both workbooks by where
    they landed, in display order.
#}

with

budget_reconciliation as (

    select * from {{ ref('budget_reconciliation') }}

),

buckets as (

    select
        reconciliation_bucket,
        campaign_count,
        known_budget,
        bucket_order as sort_order
    from budget_reconciliation

)

select * from buckets
