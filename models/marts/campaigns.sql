{#
    The roster is the base: every roster campaign appears exactly once, with
    the health data left-joined onto it. Health's campaign_id is unique
    (tested in staging), so the join cannot fan out.
#}

with

roster as (

    select * from {{ ref('stg_breakout__campaigns') }}

),

health as (

    select * from {{ ref('stg_health__campaigns') }}

),

product_type_aliases as (

    select * from {{ ref('ref_product_type_aliases') }}

),

roster_with_product_types as (

    select
        roster.*,
        coalesce(
            product_type_aliases.product_type, roster.source_product_type
        ) as product_type,
        product_type_aliases.product_type is not null as is_known_product_type
    from roster
    left join product_type_aliases
        on
            lower(roster.source_product_type)
            = lower(product_type_aliases.product_type_alias)

),

roster_joined_to_health as (

    select
        roster_with_product_types.campaign_id,
        roster_with_product_types.campaign_name,
        roster_with_product_types.maid,
        roster_with_product_types.advertiser_name,
        roster_with_product_types.partner_name,
        roster_with_product_types.product_type,
        roster_with_product_types.source_product_type,
        roster_with_product_types.is_known_product_type,
        roster_with_product_types.campaign_status,
        roster_with_product_types.start_date,
        cast(
            coalesce(health.campaign_budget, 0) as decimal(18, 2)
        ) as campaign_budget,
        health.campaign_id is not null as has_health_data,
        health.am,
        health.utilization,
        roster_with_product_types.source_row_number
    from roster_with_product_types
    left join health
        on roster_with_product_types.campaign_id = health.campaign_id

)

select * from roster_joined_to_health
