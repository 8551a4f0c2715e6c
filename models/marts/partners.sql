with

campaigns as (

    select * from {{ ref('campaigns') }}

),

partner_totals as (

    select
        partner_name,
        {{ campaign_measures([
            'campaign_count',
            'advertiser_count',
            'product_type_count',
            'known_budget',
            'estimated_only_budget',
            'known_and_estimated_budget',
            'campaigns_with_budget_data',
            'live_campaign_count',
            'live_advertiser_count',
            'live_known_budget',
            'tunable_campaign_count',
            'tunable_campaigns_with_budget_data',
            'tunable_known_budget'
        ]) }}
    from campaigns
    group by 1

),

final as (

    select
        partner_name,
        cast(campaign_count as integer) as campaign_count,
        cast(advertiser_count as integer) as advertiser_count,
        cast(product_type_count as integer) as product_type_count,
        cast(known_budget as decimal(18, 2)) as known_budget,
        cast(campaigns_with_budget_data as integer)
            as campaigns_with_budget_data,
        cast(
            campaign_count - campaigns_with_budget_data as integer
        ) as campaigns_without_budget_data,
        cast(
            round(1.0 * campaigns_with_budget_data / campaign_count, 4)
            as decimal(9, 4)
        ) as budget_coverage_by_count,
        {{ known_share('known_budget', 'known_and_estimated_budget') }}
            as budget_coverage_by_dollars,
        cast(estimated_only_budget as decimal(18, 2)) as estimated_only_budget,
        cast(known_and_estimated_budget as decimal(18, 2))
            as known_and_estimated_budget,
        {{ estimated_share('known_budget', 'known_and_estimated_budget') }}
            as estimated_only_budget_share,
        cast(live_campaign_count as integer) as live_campaign_count,
        cast(live_advertiser_count as integer) as live_advertiser_count,
        cast(live_known_budget as decimal(18, 2)) as live_known_budget,
        cast(tunable_campaign_count as integer) as tunable_campaign_count,
        cast(tunable_campaigns_with_budget_data as integer)
            as tunable_campaigns_with_budget_data,
        cast(campaign_count - tunable_campaign_count as integer)
            as non_tunable_campaign_count,
        cast(tunable_known_budget as decimal(18, 2)) as tunable_known_budget,
        cast(known_budget - tunable_known_budget as decimal(18, 2))
            as non_tunable_known_budget
    from partner_totals

)

select * from final
order by partner_name
