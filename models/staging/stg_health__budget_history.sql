{#
    Every stored Health drop cleaned, one row per raw row, with the shared
    staging steps (staging_ctes, macros/staging.yml) and the rules of
    stg_health__campaigns; duplicates are found within one drop.
#}

with

{{ staging_ctes(
    relation=ref('raw_health_budget_history'),
    source_role='health_history',
    columns={
        'campaign_id': 'id',
        'maid': 'id',
        'am': 'text',
        'campaign_budget': 'money',
    },
    required=['campaign_id', 'campaign_budget'],
    partition='as_of_date',
    extra_columns=['drop_sha256', 'cast(as_of_date as date) as as_of_date'],
) }},

renamed as (

    select

        ---------- ids
        campaign_id_value as campaign_id,
        maid_value as maid,
        campaign_key,
        maid_key,

        ---------- strings
        am_value as am,
        drop_sha256,
        {{ row_routing_columns() }},

        ---------- numerics
        campaign_budget_value as campaign_budget,
        source_row_number,

        ---------- booleans
        is_loaded,

        ---------- dates
        as_of_date

    from staged

)

select * from renamed
