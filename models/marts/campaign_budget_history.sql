{#
    One row per campaign per Health drop it appears in, with its budget in
    the drop before (the previous as-of date of all stored drops) and the
    change. A campaign missing from the previous drop is 'new' there
    (previous budget null); the earliest drop's rows are 'first_drop'. A
    campaign of the previous drop that is missing from a drop is 'departed'
    there: one row in the drop it left, budget 0 and budget_change minus its
    previous budget, with its MAID and AM from the previous drop.
#}

with

budget_history as (

    select * from {{ ref('int_health_budget_history') }}

),

roster_campaigns as (

    select * from {{ ref('int_campaign_matches') }}
    where has_roster_data

),

drops as (

    select distinct as_of_date
    from budget_history

),

ordered_drops as (

    select
        as_of_date,
        lag(as_of_date) over (order by as_of_date) as previous_as_of_date,
        row_number() over (order by as_of_date) as drop_number,
        row_number() over (order by as_of_date desc) as drops_after_plus_one
    from drops

),

history_with_previous_drop as (

    select
        budget_history.campaign_id,
        budget_history.campaign_key,
        budget_history.as_of_date,
        ordered_drops.drop_number,
        ordered_drops.drops_after_plus_one = 1 as is_latest_drop,
        budget_history.maid,
        budget_history.am,
        budget_history.campaign_budget,
        ordered_drops.previous_as_of_date,
        previous_history.campaign_budget as previous_budget,
        case
            when ordered_drops.previous_as_of_date is null then 'first_drop'
            when previous_history.campaign_key is null then 'new'
            when
                budget_history.campaign_budget
                = previous_history.campaign_budget
                then 'unchanged'
            else 'changed'
        end as change_type
    from budget_history
    inner join ordered_drops
        on budget_history.as_of_date = ordered_drops.as_of_date
    left join budget_history as previous_history
        on
            budget_history.campaign_key = previous_history.campaign_key
            and ordered_drops.previous_as_of_date = previous_history.as_of_date

),

departures as (

    select
        previous_history.campaign_id,
        previous_history.campaign_key,
        ordered_drops.as_of_date,
        ordered_drops.drop_number,
        ordered_drops.drops_after_plus_one = 1 as is_latest_drop,
        previous_history.maid,
        previous_history.am,
        {{ to_money('0') }} as campaign_budget,
        ordered_drops.previous_as_of_date,
        previous_history.campaign_budget as previous_budget,
        'departed' as change_type
    from ordered_drops
    inner join budget_history as previous_history
        on ordered_drops.previous_as_of_date = previous_history.as_of_date
    left join budget_history
        on
            previous_history.campaign_key = budget_history.campaign_key
            and ordered_drops.as_of_date = budget_history.as_of_date
    where budget_history.campaign_key is null

),

history_with_departures as (

    select * from history_with_previous_drop
    union all
    select * from departures

),

final as (

    select
        history_with_departures.campaign_id,
        history_with_departures.as_of_date,
        {{ to_count('history_with_departures.drop_number') }} as drop_number,
        history_with_departures.is_latest_drop,
        history_with_departures.maid,
        history_with_departures.am,
        roster_campaigns.campaign_key is not null as is_in_roster,
        roster_campaigns.partner_name,
        roster_campaigns.product_type,
        {{ to_money('history_with_departures.campaign_budget') }}
            as campaign_budget,
        history_with_departures.previous_as_of_date,
        {{ to_money('history_with_departures.previous_budget') }}
            as previous_budget,
        {{ to_money(
            'history_with_departures.campaign_budget'
            ~ ' - history_with_departures.previous_budget'
        ) }} as budget_change,
        history_with_departures.change_type
    from history_with_departures
    left join roster_campaigns
        on
            history_with_departures.campaign_key
            = roster_campaigns.campaign_key

)

select * from final
order by campaign_id, as_of_date
