{#
    Known monthly budget per partner in each Health drop, with the change
    from the drop before. Health campaigns the roster lacks are one separate
    row per drop (is_unmatched_health), never a partner: each partner's trend is
    drawn on its own scale.
#}

with

budget_history as (

    select * from {{ ref('budget_history') }}

),

partner_drops as (

    select
        as_of_date,
        coalesce(partner_name, '(outside the roster)') as partner_name,
        not is_in_roster as is_unmatched_health,
        sum(campaign_count) as campaign_count,
        sum(known_budget) as known_budget
    from budget_history
    group by 1, 2, 3

),

with_change as (

    select
        as_of_date,
        partner_name,
        is_unmatched_health,
        {{ to_count('campaign_count') }} as campaign_count,
        {{ to_money('known_budget') }} as known_budget,
        cast(
            lag(known_budget) over (
                partition by partner_name order by as_of_date
            ) as decimal(18, 2)
        ) as previous_budget,
        cast(
            known_budget
            - lag(known_budget) over (
                partition by partner_name order by as_of_date
            ) as decimal(18, 2)
        ) as budget_change,
        as_of_date = max(as_of_date) over () as is_latest_drop
    from partner_drops

),

final as (

    select
        *,
        {{ row_order([
            'is_unmatched_health', 'partner_name', 'as_of_date'
        ]) }} as sort_order
    from with_change

)

select * from final
