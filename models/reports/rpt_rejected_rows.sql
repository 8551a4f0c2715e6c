{#
    The rows of this run's two workbooks (not the earlier Health drops) that
    were rejected or had a value cleared, as the Data quality section lists
    them, with the same counts as its other tables.
#}

with

rejected_rows as (

    select * from {{ ref('rejected_rows') }}

),

this_run as (

    select
        file_name,
        sheet_name,
        source_row_number,
        column_name,
        raw_value,
        reason,
        message,
        {{ row_order([
            'source_role', 'source_row_number', 'column_name', 'reason'
        ]) }} as sort_order
    from rejected_rows
    where source_role in ('breakout', 'health')

)

select * from this_run
