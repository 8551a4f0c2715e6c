with

campaigns as (

    select * from {{ ref('campaigns') }}

),

partner_totals as (

    select
        partner_name,
        {{ campaign_measures() }}
    from campaigns
    group by 1

),

final as (

    select
        partner_name,
        campaign_count,
        advertiser_count,
        product_type_count,
        known_budget,
        campaigns_with_budget_data,
        {{ derived_campaign_measures([
            'campaigns_without_budget_data',
            'budget_coverage_by_count',
            'budget_coverage_by_dollars'
        ]) }},
        estimated_only_budget,
        known_and_estimated_budget,
        {{ derived_campaign_measures(['estimated_only_budget_share']) }},
        live_campaign_count,
        live_advertiser_count,
        live_known_budget,
        tunable_campaign_count,
        tunable_campaigns_with_budget_data,
        {{ derived_campaign_measures(['non_tunable_campaign_count']) }},
        tunable_known_budget,
        {{ derived_campaign_measures(['non_tunable_known_budget']) }}
    from partner_totals

)

select * from final
order by partner_name
