with

campaigns as (

    select * from {{ ref('campaigns') }}

),

product_type_totals as (

    select
        product_type,
        {{ campaign_measures() }}
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
        product_type_totals.campaign_count,
        product_type_totals.advertiser_count,
        product_type_totals.partner_count,
        product_type_totals.known_budget,
        product_type_totals.campaigns_with_budget_data,
        product_type_totals.live_campaign_count,
        product_type_totals.live_advertiser_count,
        product_type_totals.live_known_budget,
        {{ to_share(
            '1.0 * product_type_totals.advertiser_count'
            ~ ' / all_advertisers.advertiser_count'
        ) }} as advertiser_penetration
    from product_type_totals
    cross join all_advertisers

)

select * from final
order by product_type
