{#
    Cross-sell a partner manager would act on: the ideas of
    cross_sell_opportunities (is_recommended: the advertiser holds something
    live and a rule above the floor leads from a live product to this one),
    ranked by the mart's idea_score (the advertiser's own evidence), with the
    reason in words.
#}

with

opportunities as (

    select * from {{ ref('cross_sell_opportunities') }}

),

actionable as (

    select * from opportunities
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
        {{ to_money('coalesce(expected_monthly_budget, 0)') }}
            as expected_monthly_budget,
        supporting_live_products,
        attach_probability,
        size_factor,
        idea_score,
        cast({{ to_count('round(confidence * 100, 0)') }} as string)
        || '% of advertisers with '
        || antecedent_product_type
        || ' also hold '
        || product_type
        || '; this one has '
        || antecedent_product_type
        || ' live'
        || case
            when supporting_live_products > 1
                then
                    ' (and '
                    || cast(supporting_live_products - 1 as string)
                    || case
                        when supporting_live_products > 2
                            then ' more live products'
                        else ' more live product'
                    end
                    || ' pointing to it)'
            else ''
        end as reason,
        {{ row_order([
            'idea_score desc', 'attach_probability desc', 'maid asc',
            'product_type asc'
        ], partition_by='partner_name') }} as partner_rank,
        {{ row_order([
            'idea_score desc', 'attach_probability desc', 'product_type asc'
        ], partition_by='partner_name, maid') }} as advertiser_rank,
        {{ row_order([
            'idea_score desc', 'attach_probability desc', 'partner_name asc',
            'maid asc', 'product_type asc'
        ]) }} as sort_order
    from actionable

)

select * from ranked
