-- Product penetration per partner: the share of the partner's advertisers
-- holding each product type.
with

partners as (

    select * from {{ ref('partners') }}

),

partner_product_mix as (

    select * from {{ ref('partner_product_mix') }}

),

penetration as (

    select
        partner_product_mix.partner_name,
        partner_product_mix.product_type,
        partner_product_mix.advertiser_count as advertisers_with_product,
        partners.advertiser_count as partner_advertisers,
        round(
            1.0 * partner_product_mix.advertiser_count
            / partners.advertiser_count,
            4
        ) as penetration
    from partner_product_mix
    inner join partners
        on partner_product_mix.partner_name = partners.partner_name

)

select * from penetration
order by partner_name asc, penetration desc, product_type asc;
