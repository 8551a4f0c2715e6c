{#
    The heat map and each partner view's product mix: one row per partner
    and product type it sells, with the campaigns, live campaigns, known and
    live known budget, the product's share of the partner's campaigns and
    known budget, and beside it the product's share of the whole portfolio's
    known budget. Ordered as the page draws it: partners by known budget,
    products by campaigns.
#}

with

partner_product_mix as (

    select * from {{ ref('partner_product_mix') }}

),

partners as (

    select * from {{ ref('rpt_partners') }}

),

products as (

    select * from {{ ref('rpt_product_coverage') }}

),

mix as (

    select
        partner_product_mix.partner_name,
        partner_product_mix.product_type,
        {{ to_count('partner_product_mix.campaign_count') }} as campaign_count,
        {{ to_share(
            '1.0 * partner_product_mix.campaign_count / partners.campaign_count'
        ) }} as partner_share,
        {{ to_count('partner_product_mix.live_campaign_count') }}
            as live_campaign_count,
        partner_product_mix.known_budget,
        partner_product_mix.live_known_budget,
        {{ to_share(
            'partner_product_mix.known_budget / nullif(partners.known_budget, 0)'
        ) }} as known_budget_share,
        products.known_budget_share as portfolio_known_budget_share,
        {{ row_order([
            'partners.sort_order', 'products.sort_order'
        ]) }} as sort_order
    from partner_product_mix
    inner join partners
        on partner_product_mix.partner_name = partners.partner_name
    inner join products
        on partner_product_mix.product_type = products.product_type

)

select * from mix
