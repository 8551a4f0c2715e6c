{#
    The win-back list: products an advertiser held with a partner but holds
    live nowhere (every campaign of it ended or paused, with every partner).
    An advertiser with nothing live at all has all its products here and no
    cross-sell idea: win it back first. Advertisers with nothing live first,
    then by known budget.
#}

with

advertiser_product_mix as (

    select * from {{ ref('advertiser_product_mix') }}

),

advertisers as (

    select * from {{ ref('advertisers') }}

),

products_live_anywhere as (

    select
        maid,
        product_type,
        bool_or(is_held_live) as is_live_anywhere
    from advertiser_product_mix
    group by 1, 2

),

win_back as (

    select
        advertiser_product_mix.partner_name,
        advertiser_product_mix.maid,
        advertiser_product_mix.advertiser_name,
        advertiser_product_mix.product_type,
        advertiser_product_mix.campaign_count,
        advertiser_product_mix.known_budget,
        advertisers.live_product_type_count = 0 as is_nothing_live,
        case
            when advertisers.live_product_type_count = 0
                then 'nothing live: every campaign ended or paused'
            else 'this product ended or paused; other products live'
        end as win_back_reason
    from advertiser_product_mix
    inner join products_live_anywhere
        on
            advertiser_product_mix.maid = products_live_anywhere.maid
            and advertiser_product_mix.product_type
            = products_live_anywhere.product_type
    inner join advertisers
        on advertiser_product_mix.maid = advertisers.maid
    where not products_live_anywhere.is_live_anywhere

),

final as (

    select
        partner_name,
        maid,
        advertiser_name,
        product_type,
        campaign_count,
        known_budget,
        is_nothing_live,
        win_back_reason,
        {{ row_order([
            'is_nothing_live desc', 'known_budget desc', 'campaign_count desc',
            'partner_name asc', 'maid asc', 'product_type asc'
        ]) }} as sort_order
    from win_back

)

select * from final
