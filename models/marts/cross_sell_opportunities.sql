{#
    Cross-sell ideas, each scored by its advertiser's own evidence. Each
    (partner, advertiser) gets one row per product type the advertiser does
    not hold anywhere that a rule of cross_sell_rules supports from a product
    it holds. The rule shown is the best one from a product it holds live
    (an Active campaign), else from any product it holds (highest confidence,
    then lift, then name); expected_monthly_budget = that confidence x the
    product's typical budget (int_product_typical_budgets).

    The score, defined here only, in dollars a month:
      idea_score = attach_probability x typical budget x size_factor
    where attach_probability = 1 - product of (1 - attach rate) over the
    rules above the floor from each product the advertiser holds live (one
    rule: its attach rate; more live products pointing to the product raise
    it), and size_factor = the advertiser's monthly budget (known where Health
    has it, else estimated; advertisers.known_and_estimated_budget) / the
    median of the advertisers with something live, kept within 0.5 and 2.

    recommendation_status says which list a row belongs to: 'idea' (the
    page's ideas, is_recommended), 'below_floor' (its live rules are under
    the floor), 'no_live_evidence' (only products held through ended or
    paused campaigns point to it), 'nothing_live' (the advertiser has no live
    campaign: the page's win-back list, not an idea).
#}

with

campaigns as (

    select * from {{ ref('campaigns') }}

),

rules as (

    select * from {{ ref('cross_sell_rules') }}

),

typical_budgets as (

    select * from {{ ref('int_product_typical_budgets') }}

),

partner_advertisers as (

    select * from {{ ref('partner_advertisers') }}

),

advertisers as (

    select * from {{ ref('advertisers') }}

),

portfolios as (

    select
        maid,
        product_type,
        bool_or(is_live) as is_held_live
    from campaigns
    group by 1, 2

),

advertiser_sizes as (

    select
        maid,
        live_product_type_count,
        coalesce(known_and_estimated_budget, 0) as advertiser_monthly_budget
    from advertisers

),

median_size as (

    select median(advertiser_monthly_budget) as median_monthly_budget
    from advertiser_sizes
    where live_product_type_count > 0

),

advertiser_evidence as (

    select
        advertiser_sizes.maid,
        advertiser_sizes.live_product_type_count,
        advertiser_sizes.advertiser_monthly_budget,
        case
            when coalesce(median_size.median_monthly_budget, 0) <= 0 then 1.0
            else
                least(
                    greatest(
                        advertiser_sizes.advertiser_monthly_budget
                        / median_size.median_monthly_budget,
                        0.5
                    ),
                    2.0
                )
        end as size_factor
    from advertiser_sizes
    cross join median_size

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
        rules.is_above_floor,
        held.is_held_live,
        row_number() over (
            partition by
                partner_advertisers.partner_name,
                partner_advertisers.maid,
                rules.consequent_product_type
            order by
                held.is_held_live desc,
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

live_evidence as (

    select
        partner_name,
        maid,
        product_type,
        count(*) as supporting_live_products,
        1 - exp(sum(ln(greatest(1 - confidence, 0.0001))))
            as attach_probability
    from candidate_rules
    where is_held_live and is_above_floor
    group by 1, 2, 3

),

scored as (

    select
        candidate_rules.partner_name,
        candidate_rules.maid,
        candidate_rules.advertiser_name,
        candidate_rules.product_type,
        candidate_rules.antecedent_product_type,
        candidate_rules.is_held_live as is_antecedent_live,
        candidate_rules.antecedent_advertisers,
        candidate_rules.support,
        candidate_rules.confidence,
        candidate_rules.lift,
        typical_budgets.typical_budget,
        candidate_rules.confidence * typical_budgets.typical_budget
            as expected_monthly_budget,
        advertiser_evidence.live_product_type_count,
        coalesce(live_evidence.supporting_live_products, 0)
            as supporting_live_products,
        coalesce(live_evidence.attach_probability, 0) as attach_probability,
        advertiser_evidence.advertiser_monthly_budget,
        advertiser_evidence.size_factor,
        case
            when advertiser_evidence.live_product_type_count = 0
                then 'nothing_live'
            when not candidate_rules.is_held_live then 'no_live_evidence'
            when live_evidence.maid is null then 'below_floor'
            else 'idea'
        end as recommendation_status
    from candidate_rules
    left join typical_budgets
        on candidate_rules.product_type = typical_budgets.product_type
    left join advertiser_evidence
        on candidate_rules.maid = advertiser_evidence.maid
    left join live_evidence
        on
            candidate_rules.partner_name = live_evidence.partner_name
            and candidate_rules.maid = live_evidence.maid
            and candidate_rules.product_type = live_evidence.product_type
    where candidate_rules.rule_rank = 1

),

opportunities as (

    select
        partner_name,
        maid,
        advertiser_name,
        product_type,
        antecedent_product_type,
        is_antecedent_live,
        {{ to_count('antecedent_advertisers') }} as antecedent_advertisers,
        support,
        confidence,
        lift,
        {{ to_money('round(expected_monthly_budget, 2)') }}
            as expected_monthly_budget,
        {{ to_count('coalesce(live_product_type_count, 0)') }}
            as live_product_type_count,
        {{ to_count('supporting_live_products') }} as supporting_live_products,
        {{ to_share('attach_probability') }}
            as attach_probability,
        {{ to_money('advertiser_monthly_budget') }}
            as advertiser_monthly_budget,
        {{ to_share('size_factor') }} as size_factor,
        {{ to_money(
            'round('
            ~ 'attach_probability * coalesce(typical_budget, 0) * size_factor'
            ~ ', 2)'
        ) }} as idea_score,
        recommendation_status,
        recommendation_status = 'idea' as is_recommended
    from scored

)

select * from opportunities
order by partner_name, maid, product_type
