{#
    The one place the roster meets Health. One row per campaign of either
    workbook: the roster's loaded campaigns and the current Health drop's,
    matched on campaign_key (IDs differing only in leading zeros match; the
    roster's spelling is kept). Each side's columns are null where the
    campaign is not on that side. A Health campaign the roster lacks
    (match_status 'unmatched_health') is attributed, by its MAID, to the
    partner with the most roster campaigns of that MAID, ties broken by
    partner name (alphabetically first). Both sides' campaign_key is unique
    (tested upstream), so the join cannot fan out.
#}

with

roster as (

    select * from {{ ref('int_roster_campaigns') }}

),

health as (

    select * from {{ ref('int_health_campaigns') }}

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

roster_matched_to_health as (

    select
        coalesce(roster.campaign_key, health.campaign_key) as campaign_key,
        coalesce(roster.campaign_id, health.campaign_id) as campaign_id,
        case
            when health.campaign_key is null then 'roster_only'
            when roster.campaign_key is null then 'unmatched_health'
            else 'matched'
        end as match_status,
        roster.campaign_key is not null as has_roster_data,
        health.campaign_key is not null as has_health_data,
        roster.campaign_key is null as is_unmatched_health,
        ---------- the roster's side
        roster.campaign_name,
        roster.maid,
        roster.maid_key,
        roster.advertiser_name,
        roster.partner_name,
        roster.product_type,
        roster.source_product_type,
        roster.is_known_product_type,
        roster.product_family,
        roster.is_tunable,
        roster.campaign_status,
        {{ is_live_status('roster.campaign_status') }} as is_live,
        roster.start_date,
        roster.source_row_number as roster_row_number,
        ---------- the Health side
        health.campaign_id as health_campaign_id,
        health.campaign_name as health_campaign_name,
        health.maid as health_maid,
        health.maid_key as health_maid_key,
        health.advertiser_name as health_advertiser_name,
        health.am,
        health.campaign_budget,
        health.utilization,
        health.source_row_number as health_row_number,
        ---------- an unmatched Health campaign's partner, by its MAID
        case
            when roster.campaign_key is null
                then advertiser_attributions.maid_key is not null
        end as is_advertiser_in_roster,
        advertiser_attributions.partner_name as attributed_partner_name,
        case
            when roster.campaign_key is null
                then coalesce(advertiser_attributions.partner_count, 0)
        end as attributed_partner_count,
        case
            when advertiser_attributions.partner_count = 1
                then 'only_partner'
            when advertiser_attributions.partner_count > 1
                then 'most_campaigns'
        end as partner_attribution
    from roster
    full outer join health
        on roster.campaign_key = health.campaign_key
    left join advertiser_attributions
        on
            roster.campaign_key is null
            and health.maid_key = advertiser_attributions.maid_key

)

select * from roster_matched_to_health
