{#
    Market-basket cross-sell. Over the complete portfolio (every advertiser's
    set of product types, across all partners), each rule "advertisers with X
    also hold Y" has
      support    = advertisers with X and Y / all advertisers,
      confidence = advertisers with X and Y / advertisers with X (attach rate),
      lift       = confidence / (advertisers with Y / all advertisers).
    Rules below var('cross_sell_min_support') or starting from a product held
    by fewer than var('cross_sell_min_antecedent_advertisers') advertisers are
    dropped, so tiny groups do not dominate. Each (partner, advertiser) gets one
    row per product type the advertiser does not hold anywhere, scored by the
    best rule from a product it holds (highest confidence, then lift, then
    name), with an expected monthly budget = confidence x the product's
    typical budget (int_product_typical_budgets: its default in
    ref_product_types, else the median actual budget).
#}

with

campaigns as (

    select * from {{ ref('campaigns') }}

),

typical_budgets as (

    select * from {{ ref('int_product_typical_budgets') }}

),

partner_advertisers as (

    select * from {{ ref('partner_advertisers') }}

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

candidate_rules as (

    select
        partner_advertisers.partner_name,
        partner_advertisers.maid,
        partner_advertisers.advertiser_name,
        rules.consequent_product_type as product_type,
        rules.antecedent_product_type,
        rules.antecedent_advertisers,
        rules.support,
        rules.confidence,
        rules.lift,
        row_number() over (
            partition by
                partner_advertisers.partner_name,
                partner_advertisers.maid,
                rules.consequent_product_type
            order by
                rules.confidence desc,
                rules.lift desc,
                rules.antecedent_product_type asc
        ) as rule_rank
    from partner_advertisers
    inner join portfolios as held
        on partner_advertisers.maid = held.maid
    inner join rules
        on held.product_type = rules.antecedent_product_type
    left join portfolios as already_held
        on
            partner_advertisers.maid = already_held.maid
            and rules.consequent_product_type = already_held.product_type
    where already_held.maid is null

),

opportunities as (

    select
        candidate_rules.partner_name,
        candidate_rules.maid,
        candidate_rules.advertiser_name,
        candidate_rules.product_type,
        candidate_rules.antecedent_product_type,
        cast(candidate_rules.antecedent_advertisers as integer)
            as antecedent_advertisers,
        cast(round(candidate_rules.support, 4) as decimal(9, 4)) as support,
        cast(round(candidate_rules.confidence, 4) as decimal(9, 4))
            as confidence,
        cast(round(candidate_rules.lift, 4) as decimal(9, 4)) as lift,
        cast(
            round(
                candidate_rules.confidence * typical_budgets.typical_budget, 2
            ) as decimal(18, 2)
        ) as expected_monthly_budget,
        {#- the report's rule, named here: partners.html lists these only -#}
        round(candidate_rules.lift, 4) > {{ var('cross_sell_min_lift') }}
            as is_recommended
    from candidate_rules
    left join typical_budgets
        on candidate_rules.product_type = typical_budgets.product_type
    where candidate_rules.rule_rank = 1

)

select * from opportunities
order by partner_name, maid, product_type
