{#- Described in macros/staging.yml. -#}

{% macro staging_ctes(
    relation, columns, required, source_role,
    partition='source_file', extra_columns=[], keep_first_version=false
) -%}
    {%- set source_columns = columns -%}
    {%- set columns = partners.campaign_identity_types() -%}
    {%- do columns.update(source_columns) -%}
    {%- set names = columns.keys() | list -%}
    {%- set step = namespace(previous='parsed') -%}
    {%- set value_columns = [] -%}
    {%- for column in names -%}
        {%- do value_columns.append(column ~ '_value') -%}
    {%- endfor -%}

source as (

    select * from {{ relation }}

),

cleaned as (

    select
        source_file,
        source_sheet,
        {%- for column in extra_columns %}
        {{ column }},
        {%- endfor %}
        cast(source_row as integer) as source_row_number,
        cell_types,
        {{ partners.raw_and_text_columns(names) }}
    from source

),

parsed as (

    select
        *,
        {%- for column, kind in columns.items() %}
            {%- if kind == 'id' %}
        {{ partners.clean_id(column ~ '_text', column) }}
            as {{ column }}_value,
        {{ partners.id_problem(column ~ '_text', column) }}
            as {{ column }}_problem,
            {%- elif kind == 'text' %}
        {{ partners.text_value_columns([column]) }},
            {%- endif %}
        {%- endfor %}
        {{ partners.is_total_row(names) }} as is_total_row
    from cleaned

),

{%- for column, kind in columns.items() %}
    {%- if kind == 'money' %}
{{ partners.money_column_ctes(column, step.previous) }},
    {%- elif kind == 'percent' %}
{{ partners.percent_column_ctes(column, step.previous, partition) }},
    {%- elif kind == 'date' %}
{{ partners.date_column_ctes(column, step.previous, partition) }},
    {%- endif %}
    {%- if kind in ('money', 'percent', 'date') %}
        {%- set step.previous = column ~ '_cleaned' %}
    {%- endif %}
{%- endfor %}

checked as (

    select
        *,
        {%- set rejects = partners.value_rejects(required) %}
        {{ partners.first_rule(rejects, 'reason') }} as value_reject_reason,
        {{ partners.first_rule(rejects, 'column') }} as value_reject_column,
        {%- for column, kind in columns.items() if kind == 'id' %}
        {{ partners.id_key(column ~ '_value') }}
            as {{ column[:-3] if column.endswith('_id') else column }}_key
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ step.previous }}

),

copies as (

    select
        *,
        {#- identical rows: every column's cleaned value is equal -#}
        {{ partners.duplicate_copy_columns(
            partition, 'value_reject_reason', value_columns
        ) }}
    from checked

),

conflicts as (

    select
        *,
        {{ partners.duplicate_key_columns(
            partition, 'value_reject_reason', 'campaign_key',
            'campaign_id_value', keep_first_version
        ) }}
    from copies

),

routed as (

    select
        *,
        {%- set rejects = partners.duplicate_rejects(
            'value_reject_reason', 'value_reject_column'
        ) %}
        {{ partners.first_rule(rejects, 'reason') }} as reject_reason,
        {{ partners.first_rule(rejects, 'column') }} as reject_column
    from conflicts

),

staged as (

    select
        *,
        {{ partners.source_row_text(names, source_role) }} as source_row_text,
        {{ partners.reject_value(names) }} as reject_value,
        {{ partners.row_reject_message(names) }} as reject_message,
        reject_reason is null as is_loaded
    from routed

)
{%- endmacro %}

{% macro step_ctes(relation, steps) -%}
{#- one CTE per step, each adding its expression to every row of the one
    before, so that each expression is computed once a row -#}
{%- for name, expression in steps %}
{{ name }} as (

    select
        *,
        {{ expression }}
    from {{ relation if loop.first else steps[loop.index0 - 1][0] }}

){% if not loop.last %},{% endif %}
{%- endfor %}
{%- endmacro %}

{% macro money_column_ctes(column, relation) -%}
{{ partners.step_ctes(relation, [
    (column ~ '_numbers',
        partners.money_number_text(column ~ '_text')
        ~ ' as ' ~ column ~ '_number'),
    (column ~ '_amounts',
        partners.money_double(column ~ '_text', column ~ '_number')
        ~ ' as ' ~ column ~ '_amount'),
    (column ~ '_checked',
        partners.money_problem(
            column ~ '_text', column, column ~ '_number', column ~ '_amount'
        ) ~ ' as ' ~ column ~ '_problem'),
    (column ~ '_cleaned',
        partners.money_decimal(column ~ '_amount', column ~ '_problem')
        ~ ' as ' ~ column ~ '_value'),
]) }}
{%- endmacro %}

{% macro percent_column_ctes(column, relation, partition) -%}
{{ partners.step_ctes(relation, [
    (column ~ '_reads',
        partners.percent_fraction(column ~ '_text')
        ~ ' as ' ~ column ~ '_read'),
    (column ~ '_evidence',
        partners.percent_scale_evidence(column, partition)),
    (column ~ '_fractions',
        partners.percent_on_scale(column) ~ ' as ' ~ column ~ '_fraction'),
    (column ~ '_checked',
        'coalesce('
        ~ partners.percent_problem(column ~ '_text', column, column ~ '_fraction')
        ~ ', ' ~ partners.percent_scale_problem(column)
        ~ ') as ' ~ column ~ '_problem'),
    (column ~ '_cleaned',
        partners.percent_decimal(column ~ '_fraction', column ~ '_problem')
        ~ ' as ' ~ column ~ '_value'),
]) }}
{%- endmacro %}

{% macro date_column_ctes(column, relation, partition) -%}
{%- set day_first = column ~ '_file_has_day_first_dates' -%}
{%- set month_first = column ~ '_file_has_month_first_dates' -%}
{{ partners.step_ctes(relation, [
    (column ~ '_evidence',
        'max(' ~ partners.day_first_date_flag(column ~ '_text')
        ~ ') over (partition by ' ~ partition ~ ') as ' ~ day_first ~ ', '
        ~ 'max(' ~ partners.month_first_date_flag(column ~ '_text')
        ~ ') over (partition by ' ~ partition ~ ') as ' ~ month_first),
    (column ~ '_cleaned',
        partners.parse_date(column ~ '_text', column, day_first, month_first)
        ~ ' as ' ~ column ~ '_value, '
        ~ partners.date_problem(column ~ '_text', column, day_first, month_first)
        ~ ' as ' ~ column ~ '_problem'),
]) }}
{%- endmacro %}

{% macro campaign_identity_types() -%}
    {{ return({
        'campaign_id': 'id',
        'campaign_name': 'text',
        'maid': 'id',
        'advertiser_name': 'text',
    }) }}
{%- endmacro %}

{% macro campaign_identity_columns() -%}
        campaign_id_value as campaign_id,
        maid_value as maid,
        campaign_key,
        maid_key,
        campaign_name_value as campaign_name,
        advertiser_name_value as advertiser_name
{%- endmacro %}

{% macro row_routing_columns() -%}
        source_file,
        source_sheet,
        source_row_text,
        reject_reason,
        reject_column,
        reject_value,
        reject_message
{%- endmacro %}
