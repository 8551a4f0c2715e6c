{#
    Every stored Health drop cleaned, one row per raw row, with the same
    macros as stg_health__campaigns: each row is loaded (reject_reason null)
    or rejected with its reason, column, value and message (rejected_rows
    lists those of the earlier drops). Duplicates are found within one drop.
#}

{#- A table, not the folder's view: the cleaning is evaluated once, not in
    every model that reads it (and Spark's metastore cannot store a view
    text this long). -#}
{{ config(materialized='table') }}

{%- set required = ['campaign_id', 'campaign_budget'] -%}
{%- set raw_columns = ['campaign_id', 'maid', 'am', 'campaign_budget'] -%}

with

source as (

    select * from {{ ref('raw_health_budget_history') }}

),

cleaned as (

    select
        source_file,
        source_sheet,
        drop_sha256,
        cast(as_of_date as date) as as_of_date,
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

        ---------- strings
        case
            when {{ text_problem('am_text') }} is null then am_text
        end as am_value,

        ---------- numerics
        {{ money_number_text('campaign_budget_text') }} as campaign_budget_number,

        ---------- booleans
        {{ is_total_row(raw_columns) }} as is_total_row

    from cleaned

),

amounts as (

    select
        *,
        {{ money_double('campaign_budget_text', 'campaign_budget_number') }}
            as campaign_budget_amount
    from parsed

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
        {{ money_decimal('campaign_budget_amount', 'campaign_budget_problem') }}
            as campaign_budget,
        {{ value_reject_reason(required) }} as value_reject_reason,
        {{ value_reject_column(required) }} as value_reject_column,
        {{ id_key('campaign_id') }} as campaign_key,
        {{ id_key('maid_value') }} as maid_key
    from money_checked

),

copies as (

    select
        *,
        {{ duplicate_copy_columns('as_of_date', 'value_reject_reason', [
            'campaign_id', 'maid_value', 'am_value', 'campaign_budget'
        ]) }}
    from checked

),

conflicts as (

    select
        *,
        {{ duplicate_key_columns(
            'as_of_date', 'value_reject_reason', 'campaign_key', 'campaign_id'
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
        am_value as am,
        source_file,
        source_sheet,
        drop_sha256,
        {{ source_row_text(raw_columns, 'health_history') }} as source_row_text,
        reject_reason,
        reject_column,
        {{ reject_value(raw_columns) }} as reject_value,
        {{ row_reject_message(raw_columns) }} as reject_message,

        ---------- numerics
        campaign_budget,
        source_row_number,

        ---------- booleans
        reject_reason is null as is_loaded,

        ---------- dates
        as_of_date

    from routed

)

select * from renamed
