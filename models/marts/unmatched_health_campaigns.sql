{#
    The "gap identified": Health campaigns whose campaign_id is not in the
    roster (int_campaign_matches' unmatched_health rows). Their budget is
    real but belongs to no roster campaign, so it is listed here rather than
    silently dropped by the roster-based join. When the campaign's advertiser
    (MAID) is in the roster, the campaign is attributed to one of its
    partners (the rule is int_campaign_matches'); partner_count says how many
    partners the MAID is under.
#}

with

campaign_matches as (

    select * from {{ ref('int_campaign_matches') }}
    where is_unmatched_health

),

unmatched_health as (

    select
        health_campaign_id as campaign_id,
        health_campaign_name as campaign_name,
        health_maid as maid,
        health_advertiser_name as advertiser_name,
        am,
        campaign_budget,
        utilization,
        is_advertiser_in_roster,
        attributed_partner_name as partner_name,
        {{ to_count('attributed_partner_count') }} as partner_count,
        partner_attribution,
        health_row_number as source_row_number
    from campaign_matches

)

select * from unmatched_health
order by campaign_id
