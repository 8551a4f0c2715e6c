{#
    Returns 0 rows when int_campaign_matches holds every campaign_key of the
    loaded roster and of the current Health drop, and no other: the one
    match neither drops nor invents a campaign (its campaign_key is unique,
    tested on the model).
#}

with

campaign_keys as (

    select campaign_key from {{ ref('int_roster_campaigns') }}
    union
    select campaign_key from {{ ref('int_health_campaigns') }}

),

matched_keys as (

    select campaign_key from {{ ref('int_campaign_matches') }}

),

missing as (

    select
        'missing from the matches' as problem,
        campaign_key
    from campaign_keys
    where
        campaign_key not in (select matched_keys.campaign_key from matched_keys)

),

invented as (

    select
        'not in either file' as problem,
        campaign_key
    from matched_keys
    where
        campaign_key
        not in (select campaign_keys.campaign_key from campaign_keys)

)

select * from missing
union all
select * from invented
