{#
    Cross-sell a salesperson would act on: the opportunities of
    cross_sell_opportunities whose rule has real affinity (is_recommended:
    lift above var cross_sell_min_lift; the mart already keeps only rules with
    the minimum support), ranked by expected
    monthly budget, with the reason in words. For one consequent product the
    best rule by confidence is also the best by lift (lift = confidence / the
    product's share), so filtering the mart's best rule on lift loses nothing.
#}

with

opportunities as (

    select * from {{ ref('cross_sell_opportunities') }}

),

actionable as (

    select
        partner_name,
        maid,
        advertiser_name,
        product_type,
        antecedent_product_type,
        antecedent_advertisers,
        support,
        confidence,
        lift,
        coalesce(expected_monthly_budget, 0) as expected_monthly_budget
    from opportunities
    where is_recommended

),

ranked as (

    select
        partner_name,
        maid,
        advertiser_name,
        product_type,
        antecedent_product_type,
        antecedent_advertisers,
        support,
        confidence,
        lift,
        cast(expected_monthly_budget as decimal(18, 2))
            as expected_monthly_budget,
        cast(cast(round(confidence * 100, 0) as integer) as string)
        || '% of advertisers with '
        || antecedent_product_type
        || ' also hold '
        || product_type
        || '; this one does not' as reason,
        cast(
            row_number() over (
                partition by partner_name
                order by
                    expected_monthly_budget desc,
                    lift desc,
                    maid asc,
                    product_type asc
            ) as integer
        ) as partner_rank,
        cast(
            row_number() over (
                partition by partner_name, maid
                order by
                    expected_monthly_budget desc,
                    lift desc,
                    product_type asc
            ) as integer
        ) as advertiser_rank,
        cast(
            row_number() over (
                order by
                    expected_monthly_budget desc,
                    lift desc,
                    partner_name asc,
                    maid asc,
                    product_type asc
            ) as integer
        ) as sort_order
    from actionable

)

select * from ranked
