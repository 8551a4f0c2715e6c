{#
    The heat map: one row per partner and product type it sells, with the
    campaigns and the share of the partner's campaigns. Ordered as the page
    draws it: partners by known budget, products by campaigns.
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
        cast(partner_product_mix.campaign_count as integer) as campaign_count,
        cast(
            round(
                1.0 * partner_product_mix.campaign_count
                / partners.campaign_count,
                4
            ) as decimal(9, 4)
        ) as partner_share,
        cast(
            row_number() over (
                order by partners.sort_order, products.sort_order
            ) as integer
        ) as sort_order
    from partner_product_mix
    inner join partners
        on partner_product_mix.partner_name = partners.partner_name
    inner join products
        on partner_product_mix.product_type = products.product_type

)

select * from mix
