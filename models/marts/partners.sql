with

campaigns as (

    select * from {{ ref('campaigns') }}

),

partner_totals as (

    select
        partner_name,
        count(*) as campaign_count,
        count(distinct maid) as advertiser_count,
        count(distinct product_type) as product_type_count,
        sum(campaign_budget) as known_budget,
        sum(estimated_only_budget) as estimated_only_budget,
        sum(known_and_estimated_budget) as known_and_estimated_budget,
        sum(case when has_health_data then 1 else 0 end)
            as campaigns_with_budget_data,
        sum(case when is_live then 1 else 0 end) as live_campaign_count,
        count(distinct case when is_live then maid end)
            as live_advertiser_count,
        sum(case when is_live then campaign_budget else 0 end)
            as live_known_budget,
        sum(case when is_tunable then 1 else 0 end) as tunable_campaign_count,
        sum(case when is_tunable and has_health_data then 1 else 0 end)
            as tunable_campaigns_with_budget_data,
        sum(case when is_tunable then campaign_budget else 0 end)
            as tunable_known_budget
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
