{#
    Returns 0 rows when, for each input file, the raw seed holds exactly the
    rows the converter says it read, every one of them loaded or rejected
    (rows_read = rows_loaded + rows_rejected in input_files), and the rejected
    rows are exactly the row-level rejects listed in rejected_rows. Any row
    returned names the file and the numbers that disagree.
#}

with

input_files as (

    select * from {{ ref('input_files') }}

),

rejected_rows as (

    select * from {{ ref('rejected_rows') }}

),

listed_rejects as (

    select
        source_role,
        file_name,
        count(distinct source_row_number) as listed_rows
    from rejected_rows
    where is_row_rejected
    group by 1, 2

),

files_checked as (

    select
        input_files.source_role,
        input_files.file_name,
        input_files.rows_read,
        input_files.rows_loaded,
        input_files.rows_rejected,
        coalesce(listed_rejects.listed_rows, 0) as listed_rows
    from input_files
    left join listed_rejects
        on
            input_files.source_role = listed_rejects.source_role
            and input_files.file_name = listed_rejects.file_name

)

select *
from files_checked
where
    rows_read != rows_loaded + rows_rejected
    or listed_rows != rows_rejected
