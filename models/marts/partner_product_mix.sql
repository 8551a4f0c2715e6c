with

campaigns as (

    select * from {{ ref('campaigns') }}

),

partner_product_totals as (

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

),

final as (

    select
        partner_name,
        product_type,
        cast(campaign_count as integer) as campaign_count,
        cast(advertiser_count as integer) as advertiser_count,
        cast(known_budget as decimal(18, 2)) as known_budget,
        cast(campaigns_with_budget_data as integer)
            as campaigns_with_budget_data,
        cast(live_campaign_count as integer) as live_campaign_count,
        cast(live_advertiser_count as integer) as live_advertiser_count,
        cast(live_known_budget as decimal(18, 2)) as live_known_budget
    from partner_product_totals

)

select * from final
order by partner_name, product_type
