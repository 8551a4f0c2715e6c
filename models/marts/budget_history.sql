{#
    Budget per partner and product type per Health drop (as-of date). A
    campaign is placed by today's roster; health campaigns the roster lacks
    are grouped under '(not in roster)'.
#}

with

budget_history as (

    select * from {{ ref('int_health_budget_history') }}

),

roster as (

    select * from {{ ref('int_roster_campaigns') }}

),

history_placed_in_roster as (

    select
        budget_history.as_of_date,
        budget_history.campaign_id,
        budget_history.campaign_budget,
        coalesce(roster.partner_name, '(not in roster)') as partner_name,
        coalesce(roster.product_type, '(not in roster)') as product_type
    from budget_history
    left join roster
        on budget_history.campaign_key = roster.campaign_key

),

drop_totals as (

    select
        as_of_date,
        partner_name,
        product_type,
        count(*) as campaign_count,
        sum(campaign_budget) as total_budget
    from history_placed_in_roster
    group by 1, 2, 3

),

final as (

    select
        as_of_date,
        partner_name,
        product_type,
        cast(campaign_count as integer) as campaign_count,
        cast(total_budget as decimal(18, 2)) as total_budget
    from drop_totals

)

select * from final
