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
        {{ to_count('campaign_count') }} as campaign_count,
        {{ to_count('roster_campaign_count') }} as roster_campaign_count,
        {{ to_count('campaign_count - roster_campaign_count') }}
            as unmatched_health_campaign_count,
        {{ to_count('live_campaign_count') }} as live_campaign_count,
        {{ to_count('advertiser_count') }} as advertiser_count,
        {{ to_count('partner_count') }} as partner_count,
        {{ to_money('health_budget') }} as health_budget,
        {{ to_money('roster_known_budget') }} as roster_known_budget,
        {{ to_money('health_budget - roster_known_budget') }}
            as unmatched_health_budget,
        {{ to_money('live_known_budget') }} as live_known_budget
    from account_manager_totals

)

select * from final
order by am
