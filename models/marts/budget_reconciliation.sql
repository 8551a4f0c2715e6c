{#
    Where every campaign of both workbooks lands, with its budget: matched
    (in both), roster_only (no health data: budget unknown, counted 0) and
    health_only (budget on campaigns the roster lacks). matched + health_only
    budget equals the Health workbook's loaded total.
#}

with

roster as (

    select * from {{ ref('int_roster_campaigns') }}

),

health as (

    select * from {{ ref('int_health_campaigns') }}

),

campaigns_in_either_file as (

    select
        case
            when roster.campaign_key is null then 'health_only'
            when health.campaign_key is null then 'roster_only'
            else 'matched'
        end as reconciliation_bucket,
        coalesce(health.campaign_budget, 0) as campaign_budget
    from roster
    full outer join health
        on roster.campaign_key = health.campaign_key

),

buckets as (

    select
        bucket_values.reconciliation_bucket,
        bucket_values.bucket_order
    from (
        values
        ('matched', 1),
        ('roster_only', 2),
        ('health_only', 3)
    ) as bucket_values (reconciliation_bucket, bucket_order)

),

bucket_totals as (

    select
        reconciliation_bucket,
        count(*) as campaign_count,
        sum(campaign_budget) as known_budget
    from campaigns_in_either_file
    group by 1

),

final as (

    select
        buckets.reconciliation_bucket,
        cast(buckets.bucket_order as integer) as bucket_order,
        cast(coalesce(bucket_totals.campaign_count, 0) as integer)
            as campaign_count,
        cast(coalesce(bucket_totals.known_budget, 0) as decimal(18, 2))
            as known_budget
    from buckets
    left join bucket_totals
        on buckets.reconciliation_bucket = bucket_totals.reconciliation_bucket

)

select * from final
