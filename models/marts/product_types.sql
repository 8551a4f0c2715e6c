with

campaigns as (

    select * from {{ ref('campaigns') }}

),

product_type_totals as (

    select
        product_type,
        {{ campaign_measures([
            'campaign_count',
            'advertiser_count',
            'partner_count',
            'known_budget',
            'campaigns_with_budget_data',
            'live_campaign_count',
            'live_advertiser_count',
            'live_known_budget'
        ]) }}
    from campaigns
    group by 1

),

all_advertisers as (

    select count(distinct maid) as advertiser_count
    from campaigns

),

final as (

    select
        product_type_totals.product_type,
        cast(product_type_totals.campaign_count as integer) as campaign_count,
        cast(product_type_totals.advertiser_count as integer)
            as advertiser_count,
        cast(product_type_totals.partner_count as integer) as partner_count,
        cast(product_type_totals.known_budget as decimal(18, 2))
            as known_budget,
        cast(product_type_totals.campaigns_with_budget_data as integer)
            as campaigns_with_budget_data,
        cast(product_type_totals.live_campaign_count as integer)
            as live_campaign_count,
        cast(product_type_totals.live_advertiser_count as integer)
            as live_advertiser_count,
        cast(product_type_totals.live_known_budget as decimal(18, 2))
            as live_known_budget,
        cast(
            round(
                1.0 * product_type_totals.advertiser_count
                / all_advertisers.advertiser_count,
                4
            ) as decimal(9, 4)
        ) as advertiser_penetration
    from product_type_totals
    cross join all_advertisers

)

select * from final
order by product_type
