{#
    Returns 0 rows when marts.campaigns holds exactly the roster rows
    input_files says were loaded: nothing lost, nothing duplicated by the join.
    Holds for any pair of workbooks, not only the sample.
#}

with

manifest as (

    select * from {{ ref('input_files') }}

),

campaigns as (

    select * from {{ ref('campaigns') }}

),

campaign_totals as (

    select
        count(*) as campaign_rows,
        count(distinct campaign_id) as distinct_campaigns
    from campaigns

)

select
    manifest.rows_loaded,
    campaign_totals.campaign_rows,
    campaign_totals.distinct_campaigns
from manifest
cross join campaign_totals
where
    manifest.source_role = 'breakout'
    and (
        campaign_totals.campaign_rows != manifest.rows_loaded
        or campaign_totals.distinct_campaigns != manifest.rows_loaded
    )
