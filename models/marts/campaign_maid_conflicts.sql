{#
    Campaigns both workbooks hold whose MAID differs between them (compared
    on maid_key, so leading zeros alone are no conflict): the Health row's
    budget is counted on the roster campaign, but one of the two files names
    the wrong advertiser. Listed, not ignored.
#}

with

campaign_matches as (

    select * from {{ ref('int_campaign_matches') }}
    where match_status = 'matched'

),

conflicting_maids as (

    select
        campaign_id,
        maid as roster_maid,
        health_maid,
        advertiser_name as roster_advertiser_name,
        health_advertiser_name,
        partner_name,
        campaign_budget,
        roster_row_number,
        health_row_number
    from campaign_matches
    where
        health_maid_key is not null
        and maid_key != health_maid_key

)

select * from conflicting_maids
order by campaign_id
