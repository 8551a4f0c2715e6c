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
        sum(campaign_budget) as total_budget,
        sum(case when has_health_data then 1 else 0 end)
            as campaigns_with_budget_data
    from campaigns
    group by 1, 2

),

final as (

    select
        partner_name,
        product_type,
        cast(campaign_count as integer) as campaign_count,
        cast(advertiser_count as integer) as advertiser_count,
        cast(total_budget as decimal(18, 2)) as total_budget,
        cast(campaigns_with_budget_data as integer)
            as campaigns_with_budget_data
    from partner_product_totals

)

select * from final
