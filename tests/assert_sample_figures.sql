{#
    Returns 0 rows when every figure in ref_sample_figures holds:
    2,067 campaigns, 588 advertisers, 10+ product types, 800 health campaigns,
    449 matched, $1.48MM health budget, $768K matched budget, 351 unmatched.
    Each row returned is a figure that is off, with its measured value.
    Enabled only when the build is told the inputs are the sample
    (--vars 'sample_figures: true'): the raw layer no longer knows.
#}

{{ config(enabled=var('sample_figures', false)) }}

with

expected as (

    select * from {{ ref('ref_sample_figures') }}

),

campaigns as (

    select * from {{ ref('campaigns') }}

),

health as (

    select * from {{ ref('int_health_campaigns') }}

),

unmatched as (

    select * from {{ ref('unmatched_health_campaigns') }}

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
left join measured
    on expected.figure = measured.figure
where
    measured.measured_value is null
    or measured.measured_value < expected.minimum_value
    or measured.measured_value > expected.maximum_value
