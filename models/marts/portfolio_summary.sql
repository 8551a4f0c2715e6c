{#
    The headline figures of the whole portfolio in one row: what the report's
    headline strip shows.
#}

with

campaigns as (

    select * from {{ ref('campaigns') }}

),

unmatched_health_campaigns as (

    select * from {{ ref('unmatched_health_campaigns') }}

),

campaign_totals as (

    select
        count(*) as campaign_count,
        count(distinct maid) as advertiser_count,
        count(distinct partner_name) as partner_count,
        count(distinct product_type) as product_type_count,
        sum(campaign_budget) as known_budget,
        sum(case when has_health_data then 1 else 0 end)
            as campaigns_with_budget_data
    from campaigns

),

unmatched_totals as (

    select
        count(*) as unmatched_health_campaign_count,
        coalesce(sum(campaign_budget), 0) as unmatched_health_budget
    from unmatched_health_campaigns

),

final as (

    select
        cast(campaign_totals.campaign_count as integer) as campaign_count,
        cast(campaign_totals.advertiser_count as integer) as advertiser_count,
        cast(campaign_totals.partner_count as integer) as partner_count,
        cast(campaign_totals.product_type_count as integer)
            as product_type_count,
        cast(campaign_totals.known_budget as decimal(18, 2)) as known_budget,
        cast(campaign_totals.campaigns_with_budget_data as integer)
            as campaigns_with_budget_data,
        cast(
            campaign_totals.campaign_count
            - campaign_totals.campaigns_with_budget_data as integer
        ) as campaigns_without_budget_data,
        cast(unmatched_totals.unmatched_health_campaign_count as integer)
            as unmatched_health_campaign_count,
        cast(unmatched_totals.unmatched_health_budget as decimal(18, 2))
            as unmatched_health_budget,
        cast(
            campaign_totals.known_budget
            + unmatched_totals.unmatched_health_budget as decimal(18, 2)
        ) as health_budget
    from campaign_totals
    cross join unmatched_totals

)

select * from final
