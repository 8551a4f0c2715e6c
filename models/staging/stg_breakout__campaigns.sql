{#
    The roster cleaned, one row per raw row: each row is loaded
    (reject_reason null) or rejected with its reason. The cleaning rules are
    the macros of macros/cleaning.sql; the windows here (file evidence for
    dates, duplicates, partner spellings) need the whole file, which is why
    this model has more steps than the house style's source/renamed shape.
#}

{#- A table, not the folder's view: the cleaning is evaluated once, not in
    every model that reads it (and Spark's metastore cannot store a view
    text this long). -#}
{{ config(materialized='table') }}

{%- set required = ['campaign_id', 'maid', 'partner_name', 'product_type'] -%}
{%- set text_columns = [
    'campaign_name', 'advertiser_name', 'partner_name', 'product_type',
    'campaign_status'
] -%}
{%- set raw_columns = [
    'campaign_id', 'campaign_name', 'maid', 'advertiser_name', 'partner_name',
    'product_type', 'campaign_status', 'start_date'
] -%}

with

source as (

    select * from {{ ref('raw_breakout_campaigns') }}

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
        {{ clean_id('maid_text', 'maid') }} as maid,
        {{ id_problem('maid_text', 'maid') }} as maid_problem,

        ---------- strings
        {{ text_value_columns(text_columns) }},

        ---------- dates: the file's evidence for slash dates
        max({{ day_first_date_flag('start_date_text') }}) over (
            partition by source_file
        ) as file_has_day_first_dates,
        max({{ month_first_date_flag('start_date_text') }}) over (
            partition by source_file
        ) as file_has_month_first_dates,

        ---------- booleans
        {{ is_total_row(raw_columns) }} as is_total_row

    from cleaned

),

dated as (

    select
        *,
        {{ parse_date(
            'start_date_text', 'start_date',
            'file_has_day_first_dates', 'file_has_month_first_dates'
        ) }} as start_date,
        {{ date_problem(
            'start_date_text', 'start_date',
            'file_has_day_first_dates', 'file_has_month_first_dates'
        ) }} as start_date_problem
    from parsed

),

checked as (

    select
        *,
        {{ value_reject_reason(required) }} as value_reject_reason,
        {{ value_reject_column(required) }} as value_reject_column,
        {{ id_key('campaign_id') }} as campaign_key,
        {{ id_key('maid') }} as maid_key
    from dated

),

copies as (

    select
        *,
        {{ duplicate_copy_columns('source_file', 'value_reject_reason', [
            'campaign_id', 'maid', 'campaign_name_value',
            'advertiser_name_value', 'partner_name_value',
            'product_type_value', 'campaign_status_value', 'start_date'
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

partner_spellings as (

    {#- counted per file on the few distinct names, then joined back: a
        window would partition every wide row, twice -#}
    select
        source_file,
        lower(partner_name_value) as partner_key,
        partner_name_value,
        sum(case when reject_reason is null then 1 else 0 end) as spelling_rows
    from routed
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
        routed.*,
        partner_names.merged_partner_name
    from routed
    left join partner_names
        on
            routed.source_file = partner_names.source_file
            and lower(routed.partner_name_value) = partner_names.partner_key
            and partner_names.spelling_rank = 1

),

renamed as (

    select

        ---------- ids
        campaign_id,
        maid,
        campaign_key,
        maid_key,

        ---------- strings
        campaign_name_value as campaign_name,
        advertiser_name_value as advertiser_name,
        merged_partner_name as partner_name,
        partner_name_value as source_partner_name,
        product_type_value as source_product_type,
        campaign_status_value as campaign_status,
        source_file,
        source_sheet,
        {{ source_row_text(raw_columns, 'breakout') }} as source_row_text,
        reject_reason,
        reject_column,
        {{ reject_value(raw_columns) }} as reject_value,
        {{ row_reject_message(raw_columns) }} as reject_message,
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
        reject_reason is null as is_loaded,

        ---------- dates
        start_date

    from partner_merged

)

select * from renamed
