{#
    The Health campaigns cleaned, one row per raw row: each row is loaded
    (reject_reason null) or rejected with its reason, by the macros of
    macros/cleaning.sql and macros/duplicates.sql. Duplicates need the whole
    file, hence more steps than the house style's source/renamed shape.
#}

{#- A table, not the folder's view: the cleaning is evaluated once, not in
    every model that reads it (and Spark's metastore cannot store a view
    text this long). -#}
{{ config(materialized='table') }}

{%- set required = ['campaign_id', 'campaign_budget'] -%}
{%- set text_columns = ['campaign_name', 'advertiser_name', 'am'] -%}
{%- set raw_columns = [
    'campaign_id', 'campaign_name', 'maid', 'advertiser_name', 'am',
    'campaign_budget', 'utilization'
] -%}

with

source as (

    select * from {{ ref('raw_health_campaigns') }}

),

cleaned as (

    select
        source_file,
        source_sheet,
        cast(source_row as integer) as source_row_number,
        cell_types,
        {{ raw_and_text_columns(raw_columns) }}
    from source

),

parsed as (

    select
        *,

        ---------- ids
        {{ clean_id('campaign_id_text', 'campaign_id') }} as campaign_id,
        {{ id_problem('campaign_id_text', 'campaign_id') }}
            as campaign_id_problem,
        {{ clean_id('maid_text', 'maid') }} as maid_value,
        {{ id_problem('maid_text', 'maid') }} as maid_problem,

        ---------- strings
        {{ text_value_columns(text_columns) }},

        ---------- numerics
        {{ money_number('campaign_budget_text') }} as campaign_budget_number,
        {{ percent_double('utilization_text') }} as utilization_read,

        ---------- booleans
        {{ is_total_row(raw_columns) }} as is_total_row

    from cleaned

),

scaled as (

    select
        *,
        {{ percent_on_scale('utilization_text', 'utilization_read') }}
            as utilization_fraction
    from (
        select
            *,
            {{ percent_scale_evidence(
                'utilization_text', 'utilization_read', 'source_file'
            ) }}
        from parsed
    ) as evidenced

),

amounts as (

    select
        *,
        {{ money_amount('campaign_budget_text', 'campaign_budget_number') }}
            as campaign_budget_amount,
        coalesce(
            {{ percent_problem(
                'utilization_text', 'utilization', 'utilization_fraction'
            ) }},
            {{ percent_scale_problem('utilization_text', 'utilization_read') }}
        ) as utilization_problem
    from scaled

),

money_checked as (

    select
        *,
        {{ money_problem(
            'campaign_budget_text', 'campaign_budget',
            'campaign_budget_number', 'campaign_budget_amount'
        ) }} as campaign_budget_problem
    from amounts

),

checked as (

    select
        *,
        {{ parse_money('campaign_budget_amount', 'campaign_budget_problem') }}
            as campaign_budget,
        {{ parse_percent('utilization_fraction', 'utilization_problem') }}
            as utilization,
        {{ value_reject_reason(required) }} as value_reject_reason,
        {{ value_reject_column(required) }} as value_reject_column,
        {{ id_key('campaign_id') }} as campaign_key,
        {{ id_key('maid_value') }} as maid_key
    from money_checked

),

copies as (

    select
        *,
        {{ duplicate_copy_columns('source_file', 'value_reject_reason', [
            'campaign_id', 'maid_value', 'campaign_name_value',
            'advertiser_name_value', 'am_value', 'campaign_budget',
            'utilization'
        ]) }}
    from checked

),

conflicts as (

    select
        *,
        {{ duplicate_key_columns(
            'source_file', 'value_reject_reason', 'campaign_key', 'campaign_id'
        ) }}
    from copies

),

routed as (

    select
        *,
        {{ duplicate_reject_reason('value_reject_reason') }} as reject_reason,
        {{ duplicate_reject_column(
            'value_reject_reason', 'value_reject_column'
        ) }} as reject_column
    from conflicts

),

renamed as (

    select

        ---------- ids
        campaign_id,
        maid_value as maid,
        campaign_key,
        maid_key,

        ---------- strings
        campaign_name_value as campaign_name,
        advertiser_name_value as advertiser_name,
        am_value as am,
        source_file,
        source_sheet,
        {{ source_row_text(raw_columns, 'health') }} as source_row_text,
        reject_reason,
        reject_column,
        {{ reject_value(raw_columns) }} as reject_value,
        {{ row_reject_message(raw_columns) }} as reject_message,
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
        campaign_budget,
        utilization,
        source_row_number,

        ---------- booleans
        reject_reason is null as is_loaded

    from routed

)

select * from renamed
