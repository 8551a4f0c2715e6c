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
        {{ campaign_measures([
            'campaign_count',
            'advertiser_count',
            'partner_count',
            'product_type_count',
            'known_budget',
            'estimated_only_budget',
            'known_and_estimated_budget',
            'campaigns_with_budget_data',
            'live_campaign_count',
            'live_known_budget'
        ]) }}
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
        count(*) as advertiser_product_count,
        sum(is_held_live) as live_advertiser_product_count
    from advertiser_products

),

unmatched_totals as (

    select
        count(*) as unmatched_health_campaign_count,
        coalesce(sum(campaign_budget), 0) as unmatched_health_budget
    from unmatched_health_campaigns

),

final as (

    select
        cast(campaign_totals.campaign_count as integer) as campaign_count,
        cast(campaign_totals.advertiser_count as integer) as advertiser_count,
        cast(campaign_totals.partner_count as integer) as partner_count,
        cast(campaign_totals.product_type_count as integer)
            as product_type_count,
        cast(campaign_totals.known_budget as decimal(18, 2)) as known_budget,
        cast(campaign_totals.campaigns_with_budget_data as integer)
            as campaigns_with_budget_data,
        cast(
            campaign_totals.campaign_count
            - campaign_totals.campaigns_with_budget_data as integer
        ) as campaigns_without_budget_data,
        cast(
            round(
                1.0 * campaign_totals.campaigns_with_budget_data
                / campaign_totals.campaign_count,
                4
            ) as decimal(9, 4)
        ) as budget_coverage_by_count,
        {{ known_share(
            'campaign_totals.known_budget',
            'campaign_totals.known_and_estimated_budget'
        ) }} as budget_coverage_by_dollars,
        cast(campaign_totals.estimated_only_budget as decimal(18, 2))
            as estimated_only_budget,
        cast(campaign_totals.known_and_estimated_budget as decimal(18, 2))
            as known_and_estimated_budget,
        cast(campaign_totals.live_campaign_count as integer)
            as live_campaign_count,
        cast(campaign_totals.live_known_budget as decimal(18, 2))
            as live_known_budget,
        cast(advertiser_product_totals.advertiser_product_count as integer)
            as advertiser_product_count,
        cast(
            advertiser_product_totals.live_advertiser_product_count as integer
        ) as live_advertiser_product_count,
        cast(unmatched_totals.unmatched_health_campaign_count as integer)
            as unmatched_health_campaign_count,
        cast(unmatched_totals.unmatched_health_budget as decimal(18, 2))
            as unmatched_health_budget,
        cast(
            campaign_totals.known_budget
            + unmatched_totals.unmatched_health_budget as decimal(18, 2)
        ) as health_budget
    from campaign_totals
    cross join advertiser_product_totals
    cross join unmatched_totals

)

select * from final
