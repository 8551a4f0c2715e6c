{#
    The headline figures of the whole portfolio in one row: what the report's
    headline strip shows. The plan's totals count every roster campaign
    whatever its status; the live_ measures beside them count only live
    (Active) campaigns (macro is_live_status).
#}

with

campaigns as (

    select * from {{ ref('campaigns') }}

),

unmatched_health_campaigns as (

    select * from {{ ref('unmatched_health_campaigns') }}

),

campaign_totals as (

    select
        {{ campaign_measures() }}
    from campaigns

),

advertiser_products as (

    select
        maid,
        product_type,
        max(case when is_live then 1 else 0 end) as is_held_live
    from campaigns
    group by 1, 2

),

advertiser_product_totals as (

    select
        {{ to_count('count(*)') }} as advertiser_product_count,
        {{ to_count('sum(is_held_live)') }} as live_advertiser_product_count
    from advertiser_products

),

unmatched_totals as (

    select
        {{ to_count('count(*)') }} as unmatched_health_campaign_count,
        {{ to_money('coalesce(sum(campaign_budget), 0)') }}
            as unmatched_health_budget,
        {{ to_money(
            'coalesce(sum(case when partner_name is null'
            ~ ' then campaign_budget end), 0)'
        ) }} as unattributed_health_budget
    from unmatched_health_campaigns

),

final as (

    select
        campaign_totals.campaign_count,
        campaign_totals.advertiser_count,
        campaign_totals.partner_count,
        campaign_totals.product_type_count,
        campaign_totals.known_budget,
        campaign_totals.campaigns_with_budget_data,
        {{ derived_campaign_measures([
            'campaigns_without_budget_data',
            'budget_coverage_by_count',
            'budget_coverage_by_dollars'
        ], totals='campaign_totals') }},
        campaign_totals.estimated_only_budget,
        campaign_totals.known_and_estimated_budget,
        campaign_totals.live_campaign_count,
        campaign_totals.live_known_budget,
        advertiser_product_totals.advertiser_product_count,
        advertiser_product_totals.live_advertiser_product_count,
        unmatched_totals.unmatched_health_campaign_count,
        unmatched_totals.unmatched_health_budget,
        unmatched_totals.unattributed_health_budget,
        {{ to_money(
            'campaign_totals.known_budget'
            ~ ' + unmatched_totals.unmatched_health_budget'
        ) }} as health_budget
    from campaign_totals
    cross join advertiser_product_totals
    cross join unmatched_totals

)

select * from final
