{#
    The Health campaigns of every drop cleaned, one row per raw row: the
    shared staging steps (staging_ctes, macros/staging.yml) with the Health
    workbook's columns and rules; here only what is this source's own.
    Duplicates and the utilization scale are found within one drop (its
    as-of date and file).
#}

with

{{ staging_ctes(
    relation=ref('raw_health_campaigns'),
    source_role='health',
    columns={
        'am': 'text',
        'campaign_budget': 'money',
        'utilization': 'percent',
    },
    required=['campaign_id', 'campaign_budget'],
    partition='as_of_date, source_file',
    extra_columns=['drop_sha256', 'cast(as_of_date as date) as as_of_date'],
) }},

renamed as (

    select

        ---------- ids, then strings
        {{ campaign_identity_columns() }},
        am_value as am,
        drop_sha256,
        {{ row_routing_columns() }},
        campaign_name_raw as campaign_name_as_written,
        maid_raw as maid_as_written,
        advertiser_name_raw as advertiser_name_as_written,
        am_raw as am_as_written,
        utilization_raw as utilization_as_written,
        campaign_name_problem,
        maid_problem,
        advertiser_name_problem,
        am_problem,
        utilization_problem,

        ---------- numerics
        campaign_budget_value as campaign_budget,
        utilization_value as utilization,
        source_row_number,

        ---------- booleans
        is_loaded,

        ---------- dates
        as_of_date

    from staged

)

select * from renamed
