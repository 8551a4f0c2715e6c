{#
    The report's campaign rows: every roster campaign with what the page
    filters on (partner, product type, status, budget data) and shows. Known
    budget is null when the campaign has no health data (unknown, not $0).
#}

with

campaigns as (

    select * from {{ ref('campaigns') }}

),

report_campaigns as (

    select
        campaign_id,
        campaign_name,
        maid,
        advertiser_name,
        partner_name,
        product_type,
        is_tunable,
        coalesce(campaign_status, '(no status)') as campaign_status,
        start_date,
        am,
        has_health_data,
        case
            when has_health_data then campaign_budget
        end as known_budget,
        case
            when not has_health_data then estimated_only_budget
        end as estimated_only_budget,
        budget_source,
        {{ row_order(['partner_name', 'maid', 'campaign_id']) }} as sort_order
    from campaigns

)

select * from report_campaigns
