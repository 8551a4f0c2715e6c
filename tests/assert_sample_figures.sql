{#
    Returns 0 rows when the inputs are not the sample workbooks (per the
    manifest), or when they are and every figure in ref_sample_figures holds:
    2,067 campaigns, 588 advertisers, 10+ product types, 800 health campaigns,
    449 matched, $1.48MM health budget, $768K matched budget, 351 unmatched.
    Each row returned is a figure that is off, with its measured value.
#}

with

manifest as (

    select * from {{ ref('stg_ingest__manifest') }}

),

expected as (

    select * from {{ ref('ref_sample_figures') }}

),

campaigns as (

    select * from {{ ref('campaigns') }}

),

health as (

    select * from {{ ref('stg_health__campaigns') }}

),

unmatched as (

    select * from {{ ref('unmatched_health_campaigns') }}

),

inputs_are_sample as (

    select count(*) = 2 and bool_and(is_sample) as is_sample
    from manifest

),

measured as (

    select
        'roster_campaigns' as figure,
        count(*) as measured_value
    from campaigns
    union all
    select
        'roster_advertisers' as figure,
        count(distinct maid) as measured_value
    from campaigns
    union all
    select
        'product_types' as figure,
        count(distinct product_type) as measured_value
    from campaigns
    union all
    select
        'health_campaigns' as figure,
        count(*) as measured_value
    from health
    union all
    select
        'matched_campaigns' as figure,
        count(*) as measured_value
    from campaigns
    where has_health_data
    union all
    select
        'health_budget' as figure,
        sum(campaign_budget) as measured_value
    from health
    union all
    select
        'matched_budget' as figure,
        sum(campaign_budget) as measured_value
    from campaigns
    union all
    select
        'unmatched_health_campaigns' as figure,
        count(*) as measured_value
    from unmatched

)

select
    expected.figure,
    expected.minimum_value,
    expected.maximum_value,
    measured.measured_value
from expected
cross join inputs_are_sample
left join measured
    on expected.figure = measured.figure
where
    inputs_are_sample.is_sample
    and (
        measured.measured_value is null
        or measured.measured_value < expected.minimum_value
        or measured.measured_value > expected.maximum_value
    )
