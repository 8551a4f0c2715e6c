with

campaigns as (

    select * from {{ ref('campaigns') }}

),

partner_advertiser_totals as (

    select
        partner_name,
        maid,
        min(advertiser_name) as advertiser_name,
        count(*) as campaign_count,
        count(distinct product_type) as product_type_count,
        {{ sorted_distinct_list('product_type') }} as product_types,
        sum(campaign_budget) as total_budget,
        sum(estimated_budget) as estimated_budget,
        sum(case when has_health_data then 1 else 0 end)
            as campaigns_with_budget_data
    from campaigns
    group by 1, 2

),

final as (

    select
        partner_name,
        maid,
        advertiser_name,
        cast(campaign_count as integer) as campaign_count,
        cast(product_type_count as integer) as product_type_count,
        product_types,
        cast(total_budget as decimal(18, 2)) as total_budget,
        cast(campaigns_with_budget_data as integer)
            as campaigns_with_budget_data,
        cast(estimated_budget as decimal(18, 2)) as estimated_budget,
        {{ estimated_share('total_budget', 'estimated_budget') }}
            as estimated_budget_share
    from partner_advertiser_totals

)

select * from final
