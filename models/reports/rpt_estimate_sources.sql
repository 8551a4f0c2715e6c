{#
    Budget estimates by basis (actual, history, advertiser, product default,
    none), in the order of precedence.
#}

with

campaigns as (

    select * from {{ ref('campaigns') }}

),

source_totals as (

    select
        budget_source,
        {{ campaign_measures([
            'campaign_count',
            'known_and_estimated_budget'
        ]) }}
    from campaigns
    group by 1

),

final as (

    select
        budget_source,
        {{ to_count('campaign_count') }} as campaign_count,
        {{ to_money('known_and_estimated_budget') }}
            as known_and_estimated_budget,
        cast(
            case budget_source
                when 'actual' then 1
                when 'history' then 2
                when 'advertiser' then 3
                when 'product_default' then 4
                else 5
            end as integer
        ) as sort_order
    from source_totals

)

select * from final
