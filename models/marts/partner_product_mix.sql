with

campaigns as (

    select * from {{ ref('campaigns') }}

),

partner_product_totals as (

    select
        partner_name,
        product_type,
        count(*) as campaign_count,
        count(distinct maid) as advertiser_count,
        sum(campaign_budget) as known_budget,
        sum(case when has_health_data then 1 else 0 end)
            as campaigns_with_budget_data,
        sum(case when is_live then 1 else 0 end) as live_campaign_count,
        count(distinct case when is_live then maid end)
            as live_advertiser_count,
        sum(case when is_live then campaign_budget else 0 end)
            as live_known_budget
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
