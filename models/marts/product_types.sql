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
        product_type_totals.*,
        {{ to_share(
            '1.0 * product_type_totals.advertiser_count'
            ~ ' / all_advertisers.advertiser_count'
        ) }} as advertiser_penetration
    from product_type_totals
    cross join all_advertisers

)

select * from final
order by product_type
