{#
    Health campaigns the roster lacks (the second gap), each attributed to the
    partner that sells its advertiser: the partner with the most roster
    campaigns of that MAID (ties: the first name). Campaigns of advertisers the
    roster does not know have no partner.
#}

with

unmatched_health_campaigns as (

    select * from {{ ref('unmatched_health_campaigns') }}

),

campaigns as (

    select * from {{ ref('campaigns') }}

),

advertiser_partners as (

    select
        maid,
        partner_name,
        count(*) as campaign_count
    from campaigns
    group by 1, 2

),

ranked_advertiser_partners as (

    select
        maid,
        partner_name,
        count(*) over (partition by maid) as partner_count,
        row_number() over (
            partition by maid
            order by campaign_count desc, partner_name asc
        ) as partner_rank
    from advertiser_partners

),

attributed as (

    select
        unmatched_health_campaigns.campaign_id,
        unmatched_health_campaigns.campaign_name,
        unmatched_health_campaigns.maid,
        unmatched_health_campaigns.advertiser_name,
        unmatched_health_campaigns.am,
        unmatched_health_campaigns.campaign_budget,
        unmatched_health_campaigns.is_advertiser_in_roster,
        ranked_advertiser_partners.partner_name,
        case
            when ranked_advertiser_partners.partner_name is null
                then 'advertiser not in roster'
            when ranked_advertiser_partners.partner_count = 1
                then 'the only partner of its advertiser'
            else 'the partner with most campaigns of its advertiser'
        end as partner_attribution,
        cast(
            row_number() over (
                order by
                    unmatched_health_campaigns.campaign_budget desc,
                    unmatched_health_campaigns.campaign_id asc
            ) as integer
        ) as sort_order
    from unmatched_health_campaigns
    left join ranked_advertiser_partners
        on
            unmatched_health_campaigns.maid = ranked_advertiser_partners.maid
            and ranked_advertiser_partners.partner_rank = 1

)

select * from attributed
