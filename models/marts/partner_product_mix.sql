with

campaigns as (

    select * from {{ ref('campaigns') }}

),

final as (

    select
        partner_name,
        product_type,
        {{ campaign_measures([
            'campaign_count',
            'advertiser_count',
            'known_budget',
            'campaigns_with_budget_data',
            'live_campaign_count',
            'live_advertiser_count',
            'live_known_budget'
        ]) }}
    from campaigns
    group by 1, 2

)

select * from final
order by partner_name, product_type
