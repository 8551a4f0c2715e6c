with

campaigns as (

    select * from {{ ref('campaigns') }}

),

partner_advertiser_totals as (

    select
        partner_name,
        maid,
        min(advertiser_name) as advertiser_name,
        {{ campaign_measures(['campaign_count', 'product_type_count']) }},
        {{ sorted_distinct_list('product_type') }} as product_types,
        {{ campaign_measures([
            'known_budget',
            'estimated_only_budget',
            'known_and_estimated_budget',
            'campaigns_with_budget_data',
            'live_campaign_count',
            'live_known_budget'
        ]) }}
    from campaigns
    group by 1, 2

),

final as (

    select
        partner_name,
        maid,
        advertiser_name,
        campaign_count,
        product_type_count,
        product_types,
        known_budget,
        campaigns_with_budget_data,
        estimated_only_budget,
        known_and_estimated_budget,
        {{ derived_campaign_measures(['estimated_only_budget_share']) }},
        live_campaign_count,
        live_known_budget
    from partner_advertiser_totals

)

select * from final
order by partner_name, maid
