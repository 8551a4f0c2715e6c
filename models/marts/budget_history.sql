{#
    Budget per partner and product type per Health drop (as-of date). A
    campaign is placed by today's roster (int_campaign_matches); health
    campaigns the roster lacks have no partner or product (null) and
    is_in_roster false.
#}

with

budget_history as (

    select * from {{ ref('int_health_budget_history') }}

),

roster_campaigns as (

    select * from {{ ref('int_campaign_matches') }}
    where has_roster_data

),

history_placed_in_roster as (

    select
        budget_history.as_of_date,
        budget_history.campaign_id,
        budget_history.campaign_budget,
        roster_campaigns.campaign_key is not null as is_in_roster,
        roster_campaigns.partner_name,
        roster_campaigns.product_type
    from budget_history
    left join roster_campaigns
        on budget_history.campaign_key = roster_campaigns.campaign_key

),

drop_totals as (

    select
        as_of_date,
        is_in_roster,
        partner_name,
        product_type,
        {{ campaign_measures(['campaign_count', 'known_budget']) }}
    from history_placed_in_roster
    group by 1, 2, 3, 4

),

final as (

    select
        as_of_date,
        is_in_roster,
        partner_name,
        product_type,
        {{ to_count('campaign_count') }} as campaign_count,
        {{ to_money('known_budget') }} as known_budget
    from drop_totals

)

select * from final
order by as_of_date, is_in_roster, partner_name, product_type
