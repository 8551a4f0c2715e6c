{#
    Rejected rows (and cleared values) of this run's two workbooks per
    workbook and reason, most first (the earlier Health drops' rejects are in
    marts.rejected_rows, not on the page).
#}

with

rejected_rows as (

    select * from {{ ref('rejected_rows') }}

),

reason_totals as (

    select
        source_role,
        reason,
        is_row_rejected,
        count(*) as row_count
    from rejected_rows
    where source_role in ('breakout', 'health')
    group by 1, 2, 3

),

final as (

    select
        source_role,
        reason,
        is_row_rejected,
        {{ to_count('row_count') }} as row_count,
        {{ row_order([
            'source_role asc', 'row_count desc', 'reason asc'
        ]) }} as sort_order
    from reason_totals

)

select * from final
