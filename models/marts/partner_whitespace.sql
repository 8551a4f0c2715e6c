{#
    Cross-sell whitespace per partner, ranked: how many opportunities its
    advertisers have, and their expected monthly budget in total.
#}

with

opportunities as (

    select * from {{ ref('cross_sell_opportunities') }}

),

partners as (

    select * from {{ ref('partners') }}

),

partner_product_opportunities as (

    select
        partner_name,
        product_type,
        sum(coalesce(expected_monthly_budget, 0)) as expected_monthly_budget,
        row_number() over (
            partition by partner_name
            order by
                sum(coalesce(expected_monthly_budget, 0)) desc,
                count(*) desc,
                product_type asc
        ) as product_rank
    from opportunities
    group by 1, 2

),

partner_opportunities as (

    select
        partner_name,
        count(*) as opportunity_count,
        count(distinct maid) as advertisers_with_opportunities,
        sum(coalesce(expected_monthly_budget, 0)) as expected_monthly_budget
    from opportunities
    group by 1

),

final as (

    select
        partners.partner_name,
        {{ to_count('coalesce(partner_opportunities.opportunity_count, 0)') }}
            as opportunity_count,
        {{ to_count(
            'coalesce(partner_opportunities.advertisers_with_opportunities, 0)'
        ) }} as advertisers_with_opportunities,
        {{ to_money(
            'coalesce(partner_opportunities.expected_monthly_budget, 0)'
        ) }} as expected_monthly_budget,
        partner_product_opportunities.product_type as top_product_type,
        {{ row_order([
            'coalesce(partner_opportunities.expected_monthly_budget, 0) desc',
            'partners.partner_name asc'
        ]) }} as whitespace_rank
    from partners
    left join partner_opportunities
        on partners.partner_name = partner_opportunities.partner_name
    left join partner_product_opportunities
        on
            partners.partner_name = partner_product_opportunities.partner_name
            and partner_product_opportunities.product_rank = 1

)

select * from final
order by whitespace_rank
