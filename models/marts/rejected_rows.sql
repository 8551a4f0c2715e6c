{#
    Every rejected row of both workbooks (is_row_rejected), and every
    optional value cleared on a loaded row, with the whole source row as
    text. Follows from the staging models' rules, so it always agrees with
    what was loaded.
#}


with

roster as (

    select * from {{ ref('stg_breakout__campaigns') }}

),

health as (

    select * from {{ ref('stg_health__campaigns') }}

),

rejects as (

    {%- for role, relation in [('breakout', 'roster'), ('health', 'health')] %}
        select
            '{{ role }}' as source_role,
            source_file as file_name,
            source_sheet as sheet_name,
            source_row_number,
            reject_column as column_name,
            reject_value as raw_value,
            reject_reason as reason,
            reject_message as message,
            true as is_row_rejected,
            source_row_text
        from {{ relation }}
        where reject_reason is not null
        {%- for column in cleared_columns(role) %}
            union all
            select
                '{{ role }}' as source_role,
                source_file as file_name,
                source_sheet as sheet_name,
                source_row_number,
                '{{ column }}' as column_name,
                {{ column }}_as_written as raw_value,
                {{ column }}_problem as reason,
                {{ reject_message(column ~ '_problem', "'" ~ column ~ "'",
                    column ~ '_as_written') }}
                || ' (value cleared, row kept)' as message,
                false as is_row_rejected,
                source_row_text
            from {{ relation }}
            where reject_reason is null and {{ column }}_problem is not null
        {%- endfor %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        source_role,
        file_name,
        sheet_name,
        cast(source_row_number as integer) as source_row_number,
        column_name,
        raw_value,
        reason,
        message,
        is_row_rejected,
        source_row_text
    from rejects

)

select * from final
