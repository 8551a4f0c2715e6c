{#
    Where every campaign of both workbooks lands, with its budget: matched
    (in both), roster_only (no health data: budget unknown, counted 0) and
    unmatched_health (budget on campaigns the roster lacks): the
    match_status of int_campaign_matches. matched + unmatched_health budget
    equals the Health workbook's loaded total.
#}

with

campaign_matches as (

    select * from {{ ref('int_campaign_matches') }}

),

buckets as (

    select
        bucket_values.reconciliation_bucket,
        bucket_values.bucket_order
    from (
        values
        ('matched', 1),
        ('roster_only', 2),
        ('unmatched_health', 3)
    ) as bucket_values (reconciliation_bucket, bucket_order)

),

bucket_totals as (

    select
        match_status as reconciliation_bucket,
        count(*) as campaign_count,
        sum(coalesce(campaign_budget, 0)) as known_budget
    from campaign_matches
    group by 1

),

final as (

    select
        buckets.reconciliation_bucket,
        {{ to_count('buckets.bucket_order') }} as bucket_order,
        {{ to_count('coalesce(bucket_totals.campaign_count, 0)') }}
            as campaign_count,
        {{ to_money('coalesce(bucket_totals.known_budget, 0)') }}
            as known_budget
    from buckets
    left join bucket_totals
        on buckets.reconciliation_bucket = bucket_totals.reconciliation_bucket

)

select * from final
order by bucket_order
