{#
    The loaded roster rows (stg_breakout__campaigns without its rejects) with
    their product types resolved: the workbook's spelling mapped
    through ref_product_type_aliases (unknown spellings kept as written), and
    each product's family and tunable flag from ref_product_types.
#}

with

roster as (

    select * from {{ ref('stg_breakout__campaigns') }}
    where reject_reason is null

),

product_type_aliases as (

    select * from {{ ref('ref_product_type_aliases') }}

),

product_types as (

    select * from {{ ref('ref_product_types') }}

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

roster_with_product_families as (

    select
        roster_with_product_types.campaign_id,
        roster_with_product_types.campaign_key,
        roster_with_product_types.maid_key,
        roster_with_product_types.campaign_name,
        roster_with_product_types.maid,
        roster_with_product_types.advertiser_name,
        roster_with_product_types.partner_name,
        roster_with_product_types.product_type,
        roster_with_product_types.source_product_type,
        roster_with_product_types.is_known_product_type,
        roster_with_product_types.campaign_status,
        roster_with_product_types.start_date,
        roster_with_product_types.source_row_number,
        roster_with_product_types.source_file,
        coalesce(product_types.product_family, 'Unclassified')
            as product_family,
        coalesce(product_types.is_tunable, false) as is_tunable
    from roster_with_product_types
    left join product_types
        on roster_with_product_types.product_type = product_types.product_type

)

select * from roster_with_product_families
