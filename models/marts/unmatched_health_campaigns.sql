{#
    The "gap identified": health campaigns whose campaign_id is not in the
    roster. Their budget is real but belongs to no roster campaign, so it is
    listed here rather than silently dropped by the roster-based join.
    When the campaign's advertiser (MAID) is in the roster, the campaign is
    attributed to one of its partners: the partner with the most roster
    campaigns of that MAID, ties broken by partner name (alphabetically
    first); partner_count says how many partners the MAID is under.
#}

with

health as (

    select * from {{ ref('int_health_campaigns') }}

),

roster as (

    select * from {{ ref('int_roster_campaigns') }}

),

advertiser_partners as (

    select
        maid_key,
        partner_name,
        count(*) as campaign_count
    from roster
    group by 1, 2

),

ranked_advertiser_partners as (

    select
        maid_key,
        partner_name,
        count(*) over (partition by maid_key) as partner_count,
        row_number() over (
            partition by maid_key
            order by campaign_count desc, partner_name asc
        ) as partner_rank
    from advertiser_partners

),

advertiser_attributions as (

    select
        maid_key,
        partner_name,
        partner_count
    from ranked_advertiser_partners
    where partner_rank = 1

),

health_not_in_roster as (

    select
        health.campaign_id,
        health.campaign_name,
        health.maid,
        health.advertiser_name,
        health.am,
        health.campaign_budget,
        health.utilization,
        advertiser_attributions.maid_key is not null as is_advertiser_in_roster,
        advertiser_attributions.partner_name,
        cast(coalesce(advertiser_attributions.partner_count, 0) as integer)
            as partner_count,
        case
            when advertiser_attributions.partner_count = 1
                then 'only_partner'
            when advertiser_attributions.partner_count > 1
                then 'most_campaigns'
        end as partner_attribution,
        health.source_row_number
    from health
    left join roster
        on health.campaign_key = roster.campaign_key
    left join advertiser_attributions
        on health.maid_key = advertiser_attributions.maid_key
    where roster.campaign_key is null

)

select * from health_not_in_roster
