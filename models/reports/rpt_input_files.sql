{#
    The input workbooks as the Data quality section and the footer show them
    (provenance), in source-role order.
#}

with

input_files as (

    select * from {{ ref('input_files') }}

),

files as (

    select
        source_role,
        file_name,
        file_sha256,
        sheet_name,
        header_row,
        rows_read,
        rows_loaded,
        rows_rejected,
        blank_rows_skipped,
        as_of_date,
        ingested_at,
        cast(row_number() over (order by source_role) as integer) as sort_order
    from input_files

)

select * from files
