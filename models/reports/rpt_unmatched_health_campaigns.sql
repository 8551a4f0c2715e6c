{#
    Health campaigns the roster lacks (the second gap), each with the partner
    unmatched_health_campaigns attributes it to (the partner of its
    advertiser; with several, the one with most roster campaigns of that
    MAID, ties by name), and that rule in words for the page. Campaigns of
    advertisers the roster does not know have no partner.
#}

with

unmatched_health_campaigns as (

    select * from {{ ref('unmatched_health_campaigns') }}

),

attributed as (

    select
        campaign_id,
        campaign_name,
        maid,
        advertiser_name,
        am,
        campaign_budget,
        is_advertiser_in_roster,
        partner_name,
        case partner_attribution
            when 'only_partner' then 'the only partner of its advertiser'
            when 'most_campaigns'
                then 'the partner with most campaigns of its advertiser'
            else 'advertiser not in roster'
        end as partner_attribution,
        {{ row_order([
            'campaign_budget desc', 'campaign_id asc'
        ]) }} as sort_order
    from unmatched_health_campaigns

)

select * from attributed
