{#
    One row per advertiser (MAID) across every partner it buys through: the
    one place for "an advertiser across partners". Its names, partners,
    products held (all, and through a live campaign), campaigns and budgets,
    plus its Health campaigns the roster lacks (matched on the MAID's key, so
    MAIDs that differ only in leading zeros are one advertiser).
#}

with

campaigns as (

    select * from {{ ref('campaigns') }}

),

unmatched_health_campaigns as (

    select * from {{ ref('unmatched_health_campaigns') }}

),

advertiser_totals as (

    select
        maid,
        min(advertiser_name) as advertiser_name,
        {{ to_count('count(distinct advertiser_name)') }}
            as advertiser_name_count,
        {{ campaign_measures(['partner_count']) }},
        {{ sorted_distinct_list('partner_name') }} as partner_names,
        {{ campaign_measures([
            'campaign_count',
            'live_campaign_count',
            'product_type_count'
        ]) }},
        {{ sorted_distinct_list('product_type') }} as product_types,
        {{ to_count(
            'count(distinct case when is_live then product_type end)'
        ) }} as live_product_type_count,
        nullif(
            {{ sorted_distinct_list(
                'case when is_live then product_type end'
            ) }},
            ''
        ) as live_product_types,
        {{ campaign_measures([
            'campaigns_with_budget_data',
            'known_budget',
            'live_known_budget',
            'estimated_only_budget',
            'known_and_estimated_budget'
        ]) }}
    from campaigns
    group by 1

),

unmatched_totals as (

    select
        {{ id_key('maid') }} as maid_key,
        count(*) as unmatched_health_campaign_count,
        sum(campaign_budget) as unmatched_health_budget
    from unmatched_health_campaigns
    group by 1

),

advertisers_with_unmatched_health as (

    select
        advertiser_totals.maid,
        advertiser_totals.advertiser_name,
        advertiser_totals.advertiser_name_count,
        advertiser_totals.partner_count,
        advertiser_totals.partner_names,
        advertiser_totals.campaign_count,
        advertiser_totals.live_campaign_count,
        advertiser_totals.product_type_count,
        advertiser_totals.product_types,
        advertiser_totals.live_product_type_count,
        advertiser_totals.live_product_types,
        advertiser_totals.campaigns_with_budget_data,
        advertiser_totals.known_budget,
        advertiser_totals.live_known_budget,
        advertiser_totals.estimated_only_budget,
        advertiser_totals.known_and_estimated_budget,
        {{ to_count(
            'coalesce(unmatched_totals.unmatched_health_campaign_count, 0)'
        ) }} as unmatched_health_campaign_count,
        {{ to_money(
            'coalesce(unmatched_totals.unmatched_health_budget, 0)'
        ) }} as unmatched_health_budget
    from advertiser_totals
    left join unmatched_totals
        on {{ id_key('advertiser_totals.maid') }} = unmatched_totals.maid_key

)

select * from advertisers_with_unmatched_health
order by maid
