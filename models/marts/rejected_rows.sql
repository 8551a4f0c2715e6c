{#
    Every rejected row of both workbooks (is_row_rejected), and every
    optional value cleared on a loaded row, with the whole source row as
    text; and the rejected rows of the earlier Health drops the history
    holds (source_role health_history). Each Health row is in
    stg_health__campaigns once, with its drop (int_health_drops says which
    is current), so each is listed once. Follows from the staging models'
    rules, so it always agrees with what was loaded.
#}


with

files as (

    select * from {{ ref('stg_ingest__files') }}

),

roster as (

    select * from {{ ref('stg_breakout__campaigns') }}

),

health as (

    select * from {{ ref('stg_health__campaigns') }}

),

health_drops as (

    select * from {{ ref('int_health_drops') }}

),

health_with_roles as (

    select
        health.*,
        case
            when health_drops.is_current_drop then 'health'
            else 'health_history'
        end as source_role
    from health
    inner join health_drops
        on
            health.as_of_date = health_drops.as_of_date
            and health.source_file = health_drops.source_file

),

rejects as (

    {%- for role, relation in [
        ('breakout', 'roster'),
        ('health', 'health_with_roles'),
    ] %}
        select
            {{ "'breakout'" if role == 'breakout' else 'source_role' }}
                as source_role,
            source_file as file_name,
            source_sheet as sheet_name,
            {{ 'cast(null as date)' if role == 'breakout'
                else 'as_of_date' }} as drop_as_of_date,
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
                {{ 'cast(null as date)' if role == 'breakout'
                    else 'as_of_date' }} as drop_as_of_date,
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
            where
                reject_reason is null and {{ column }}_problem is not null
                {%- if role == 'health' %}
                    and source_role = 'health'
                {%- endif %}
        {%- endfor %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        rejects.source_role,
        rejects.file_name,
        rejects.sheet_name,
        coalesce(rejects.drop_as_of_date, files.as_of_date) as as_of_date,
        cast(rejects.source_row_number as integer) as source_row_number,
        rejects.column_name,
        rejects.raw_value,
        rejects.reason,
        rejects.message,
        rejects.is_row_rejected,
        rejects.source_row_text
    from rejects
    left join files
        on
            rejects.source_role = files.source_role
            and rejects.file_name = files.file_name

)

select * from final
order by
    source_role, as_of_date, file_name, source_row_number, column_name, reason
