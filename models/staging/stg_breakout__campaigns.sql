{#
    The roster cleaned, one row per raw row: the shared staging steps
    (staging_ctes, macros/staging.yml) with the roster's columns and rules,
    then its own step: partner spellings merged within each file. A campaign
    on several rows with different values is loaded from its first row (the
    others are rejected and listed), so its Health budget stays matched.
#}

with

{{ staging_ctes(
    relation=ref('raw_breakout_campaigns'),
    source_role='breakout',
    columns={
        'partner_name': 'text',
        'product_type': 'text',
        'campaign_status': 'text',
        'start_date': 'date',
    },
    required=['campaign_id', 'maid', 'partner_name', 'product_type'],
    keep_first_version=true,
) }},

partner_spellings as (

    {#- counted per file on the few distinct names, then joined back: a
        window would partition every wide row, twice -#}
    select
        source_file,
        lower(partner_name_value) as partner_key,
        partner_name_value,
        sum(case when reject_reason is null then 1 else 0 end) as spelling_rows
    from staged
    where partner_name_value is not null
    group by source_file, lower(partner_name_value), partner_name_value

),

partner_names as (

    select
        source_file,
        partner_key,
        partner_name_value as merged_partner_name,
        row_number() over (
            partition by source_file, partner_key
            order by
                spelling_rows desc,
                (
                    partner_name_value = upper(partner_name_value)
                    or partner_name_value = lower(partner_name_value)
                ),
                partner_name_value asc
        ) as spelling_rank
    from partner_spellings

),

partner_merged as (

    select
        staged.*,
        partner_names.merged_partner_name
    from staged
    left join partner_names
        on
            staged.source_file = partner_names.source_file
            and lower(staged.partner_name_value) = partner_names.partner_key
            and partner_names.spelling_rank = 1

),

renamed as (

    select

        ---------- ids, then strings
        {{ campaign_identity_columns() }},
        merged_partner_name as partner_name,
        partner_name_value as source_partner_name,
        product_type_value as source_product_type,
        campaign_status_value as campaign_status,
        {{ row_routing_columns() }},
        campaign_name_raw as campaign_name_as_written,
        advertiser_name_raw as advertiser_name_as_written,
        campaign_status_raw as campaign_status_as_written,
        start_date_raw as start_date_as_written,
        campaign_name_problem,
        advertiser_name_problem,
        campaign_status_problem,
        start_date_problem,

        ---------- numerics
        source_row_number,

        ---------- booleans
        is_loaded,

        ---------- dates
        start_date_value as start_date

    from partner_merged

)

select * from renamed
