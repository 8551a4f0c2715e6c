{#
    Which rules the page's cross-sell shows, in one row: the floor (dbt vars)
    and how many rules pass it, and how the marts' whitespace (every
    opportunity of cross_sell_opportunities) splits by recommendation_status
    into the page's ideas and the rest, so the two totals reconcile.
#}

with

rules as (

    select * from {{ ref('cross_sell_rules') }}

),

opportunities as (

    select * from {{ ref('cross_sell_opportunities') }}

),

rule_totals as (

    select
        count(*) as rule_count,
        sum(case when is_above_floor then 1 else 0 end)
            as rules_above_floor
    from rules

),

status_totals as (

    select
        recommendation_status,
        count(*) as row_count,
        sum(coalesce(expected_monthly_budget, 0)) as budget
    from opportunities
    group by 1

),

whitespace as (

    select
        sum(row_count) as opportunity_count,
        sum(budget) as opportunity_budget,
        sum(
            case
                when recommendation_status = 'idea' then row_count
                else 0
            end
        ) as idea_count,
        sum(
            case
                when recommendation_status = 'idea' then budget
                else 0
            end
        ) as idea_budget,
        sum(
            case
                when recommendation_status = 'below_floor' then row_count
                else 0
            end
        ) as below_floor_count,
        sum(
            case
                when recommendation_status = 'below_floor' then budget
                else 0
            end
        ) as below_floor_budget,
        sum(
            case
                when recommendation_status = 'no_live_evidence' then row_count
                else 0
            end
        ) as no_live_evidence_count,
        sum(
            case
                when recommendation_status = 'no_live_evidence' then budget
                else 0
            end
        ) as no_live_evidence_budget,
        sum(
            case
                when recommendation_status = 'nothing_live' then row_count
                else 0
            end
        ) as nothing_live_count,
        sum(
            case
                when recommendation_status = 'nothing_live' then budget
                else 0
            end
        ) as nothing_live_budget
    from status_totals

),

final as (

    select
        cast({{ var('cross_sell_min_support') }} as decimal(9, 4))
            as min_support,
        cast({{ var('cross_sell_min_antecedent_advertisers') }} as integer)
            as min_antecedent_advertisers,
        cast({{ var('cross_sell_min_attach_rate') }} as decimal(9, 4))
            as min_attach_rate,
        cast({{ var('cross_sell_min_lift') }} as decimal(9, 4)) as min_lift,
        {{ to_count('rule_totals.rule_count') }} as rule_count,
        {{ to_count('coalesce(rule_totals.rules_above_floor, 0)') }}
            as rules_above_floor,
        {{ to_count('coalesce(whitespace.opportunity_count, 0)') }}
            as opportunity_count,
        {{ to_money(
            'coalesce(whitespace.opportunity_budget, 0)'
        ) }} as opportunity_budget,
        {{ to_count('coalesce(whitespace.idea_count, 0)') }} as idea_count,
        {{ to_money('coalesce(whitespace.idea_budget, 0)') }} as idea_budget,
        {{ to_count('coalesce(whitespace.below_floor_count, 0)') }}
            as below_floor_count,
        {{ to_money(
            'coalesce(whitespace.below_floor_budget, 0)'
        ) }} as below_floor_budget,
        {{ to_count('coalesce(whitespace.no_live_evidence_count, 0)') }}
            as no_live_evidence_count,
        {{ to_money(
            'coalesce(whitespace.no_live_evidence_budget, 0)'
        ) }} as no_live_evidence_budget,
        {{ to_count('coalesce(whitespace.nothing_live_count, 0)') }}
            as nothing_live_count,
        {{ to_money(
            'coalesce(whitespace.nothing_live_budget, 0)'
        ) }} as nothing_live_budget,
        {{ to_count('1') }} as sort_order
    from rule_totals
    cross join whitespace

)

select * from final
