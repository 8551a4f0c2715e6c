{#
    One row per account manager (AM) of the Health workbook, over every
    Health campaign: those in the roster and those the roster lacks, so the
    budgets add up to the whole Health total. Partner and status come from
    the roster, so the partner count and the live measures cover the AM's
    roster campaigns only.
#}

with

campaign_matches as (

    select * from {{ ref('int_campaign_matches') }}
    where has_health_data

),

health_campaigns as (

    select
        am,
        campaign_id,
        health_maid_key as maid_key,
        campaign_budget,
        partner_name,
        has_roster_data,
        coalesce(is_live, false) as is_live
    from campaign_matches

),

account_manager_totals as (

    select
        am,
        count(*) as campaign_count,
        sum(case when has_roster_data then 1 else 0 end)
            as roster_campaign_count,
        sum(case when is_live then 1 else 0 end) as live_campaign_count,
        count(distinct maid_key) as advertiser_count,
        count(distinct partner_name) as partner_count,
        sum(campaign_budget) as health_budget,
        sum(case when has_roster_data then campaign_budget else 0 end)
            as roster_known_budget,
        sum(case when is_live then campaign_budget else 0 end)
            as live_known_budget
    from health_campaigns
    group by 1

),

final as (

    select
        am,
        cast(campaign_count as integer) as campaign_count,
        cast(roster_campaign_count as integer) as roster_campaign_count,
        cast(campaign_count - roster_campaign_count as integer)
            as unmatched_health_campaign_count,
        cast(live_campaign_count as integer) as live_campaign_count,
        cast(advertiser_count as integer) as advertiser_count,
        cast(partner_count as integer) as partner_count,
        cast(health_budget as decimal(18, 2)) as health_budget,
        cast(roster_known_budget as decimal(18, 2)) as roster_known_budget,
        cast(health_budget - roster_known_budget as decimal(18, 2))
            as unmatched_health_budget,
        cast(live_known_budget as decimal(18, 2)) as live_known_budget
    from account_manager_totals

)

select * from final
order by am
