{#
    Budget per partner and product type per Health drop (as-of date): the
    campaigns of campaign_budget_history, which places each by today's
    roster; health campaigns the roster lacks have no partner or product
    (null) and is_in_roster false.
#}

with

campaign_budget_history as (

    {#- a departure is not in the drop it left -#}
    select * from {{ ref('campaign_budget_history') }}
    where change_type != 'departed'

),

drop_totals as (

    select
        as_of_date,
        is_in_roster,
        partner_name,
        product_type,
        {{ campaign_measures(['campaign_count', 'known_budget']) }}
    from campaign_budget_history
    group by 1, 2, 3, 4

)

select * from drop_totals
order by as_of_date, is_in_roster, partner_name, product_type
