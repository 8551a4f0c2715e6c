{#
    The market-basket rule table. Over the complete portfolio (every
    advertiser's set of product types, across all partners, any status), each
    rule "advertisers with X also hold Y" has
      support    = advertisers with X and Y / all advertisers,
      confidence = advertisers with X and Y / advertisers with X (attach rate),
      lift       = confidence / (advertisers with Y / all advertisers).
    Rules below var('cross_sell_min_support') or starting from a product held
    by fewer than var('cross_sell_min_antecedent_advertisers') advertisers are
    left out, so tiny groups do not dominate. is_above_floor marks the rules
    ideas may rest on: attach rate at least var('cross_sell_min_attach_rate')
    and lift at least var('cross_sell_min_lift').
#}

with

campaigns as (

    select * from {{ ref('campaigns') }}

),

portfolios as (

    select distinct
        maid,
        product_type
    from campaigns

),

all_advertisers as (

    select count(distinct maid) as advertiser_count
    from portfolios

),

product_holders as (

    select
        product_type,
        count(*) as holder_count
    from portfolios
    group by 1

),

pair_holders as (

    select
        antecedents.product_type as antecedent_product_type,
        consequents.product_type as consequent_product_type,
        count(*) as pair_count
    from portfolios as antecedents
    inner join portfolios as consequents
        on
            antecedents.maid = consequents.maid
            and antecedents.product_type != consequents.product_type
    group by 1, 2

),

rules as (

    select
        pair_holders.antecedent_product_type,
        pair_holders.consequent_product_type,
        antecedent_holders.holder_count as antecedent_advertisers,
        pair_holders.pair_count as pair_advertisers,
        1.0 * pair_holders.pair_count / all_advertisers.advertiser_count
            as support,
        1.0 * pair_holders.pair_count / antecedent_holders.holder_count
            as confidence,
        (1.0 * pair_holders.pair_count / antecedent_holders.holder_count)
        / (
            1.0 * consequent_holders.holder_count
            / all_advertisers.advertiser_count
        ) as lift
    from pair_holders
    cross join all_advertisers
    inner join product_holders as antecedent_holders
        on
            pair_holders.antecedent_product_type
            = antecedent_holders.product_type
    inner join product_holders as consequent_holders
        on
            pair_holders.consequent_product_type
            = consequent_holders.product_type
    where
        1.0 * pair_holders.pair_count / all_advertisers.advertiser_count
        >= {{ var('cross_sell_min_support') }}
        and antecedent_holders.holder_count
        >= {{ var('cross_sell_min_antecedent_advertisers') }}

),

final as (

    select
        antecedent_product_type,
        consequent_product_type,
        {{ to_count('antecedent_advertisers') }} as antecedent_advertisers,
        {{ to_count('pair_advertisers') }} as pair_advertisers,
        {{ to_share('support') }} as support,
        {{ to_share('confidence') }} as confidence,
        {{ to_share('lift') }} as lift,
        round(confidence, 4) >= {{ var('cross_sell_min_attach_rate') }}
        and round(lift, 4) >= {{ var('cross_sell_min_lift') }}
            as is_above_floor
    from rules

)

select * from final
order by antecedent_product_type, consequent_product_type
