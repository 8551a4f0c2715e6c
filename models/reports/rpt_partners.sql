{#
    One row per partner: everything the partner table and the partner view's
    headline show, ranked by known budget. The share of the health campaigns
    outside the roster is by rpt_unmatched_health_campaigns' attribution; the
    cross-sell figures count only actionable opportunities (rpt_cross_sell);
    the budget change is between the last two Health drops.
#}

with

partners as (

    select * from {{ ref('partners') }}

),

unmatched_health as (

    select * from {{ ref('rpt_unmatched_health_campaigns') }}

),

cross_sell as (

    select * from {{ ref('rpt_cross_sell') }}

),

budget_history as (

    select * from {{ ref('rpt_budget_history') }}

),

unmatched_health_totals as (

    select
        partner_name,
        count(*) as unmatched_health_campaign_count,
        sum(campaign_budget) as unmatched_health_budget
    from unmatched_health
    where partner_name is not null
    group by 1

),

cross_sell_totals as (

    select
        partner_name,
        count(*) as opportunity_count,
        sum(expected_monthly_budget) as opportunity_expected_budget
    from cross_sell
    group by 1

),

latest_history as (

    select
        partner_name,
        known_budget as latest_history_budget,
        budget_change
    from budget_history
    where is_latest_drop

),

partners_with_gaps as (

    select
        partners.partner_name,
        partners.campaign_count,
        partners.advertiser_count,
        partners.product_type_count,
        partners.known_budget,
        partners.live_campaign_count,
        partners.live_known_budget,
        partners.campaigns_with_budget_data,
        partners.campaigns_without_budget_data,
        partners.budget_coverage_by_count,
        partners.tunable_campaign_count,
        {{ derived_campaign_measures([
            'tunable_campaigns_without_budget_data',
            'fixed_fee_campaigns_without_budget_data'
        ], totals='partners') }},
        partners.estimated_only_budget,
        {{ to_count(
            'coalesce('
            ~ 'unmatched_health_totals.unmatched_health_campaign_count, 0)'
        ) }} as unmatched_health_campaign_count,
        {{ to_money(
            'coalesce(unmatched_health_totals.unmatched_health_budget, 0)'
        ) }} as unmatched_health_budget,
        {{ to_count('coalesce(cross_sell_totals.opportunity_count, 0)') }}
            as opportunity_count,
        {{ to_money(
            'coalesce(cross_sell_totals.opportunity_expected_budget, 0)'
        ) }} as opportunity_expected_budget,
        latest_history.budget_change,
        {{ row_order([
            'partners.known_budget desc', 'partners.partner_name asc'
        ]) }} as sort_order
    from partners
    left join unmatched_health_totals
        on partners.partner_name = unmatched_health_totals.partner_name
    left join cross_sell_totals
        on partners.partner_name = cross_sell_totals.partner_name
    left join latest_history
        on partners.partner_name = latest_history.partner_name

)

select * from partners_with_gaps
