with

campaigns as (

    select * from {{ ref('campaigns') }}

),

advertiser_product_totals as (

    select
        partner_name,
        maid,
        product_type,
        min(advertiser_name) as advertiser_name,
        {{ campaign_measures([
            'campaign_count',
            'known_budget',
            'campaigns_with_budget_data',
            'live_campaign_count'
        ]) }}
    from campaigns
    group by 1, 2, 3

),

final as (

    select
        partner_name,
        maid,
        product_type,
        advertiser_name,
        campaign_count,
        known_budget,
        campaigns_with_budget_data,
        live_campaign_count,
        live_campaign_count > 0 as is_held_live
    from advertiser_product_totals

)

select * from final
order by partner_name, maid, product_type
