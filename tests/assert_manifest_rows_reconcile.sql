{#
    Returns 0 rows when, for each input file, rows read = rows loaded + rows
    rejected, the raw seed holds exactly the loaded rows, and the rejects hold
    exactly the rejected rows. Any row returned names the file and the
    numbers that disagree.
#}

with

manifest as (

    select * from {{ ref('stg_ingest__manifest') }}

),

rejects as (

    select * from {{ ref('stg_ingest__rejects') }}

),

loaded_rows as (

    select
        'breakout' as source_role,
        count(*) as seed_rows
    from {{ ref('stg_breakout__campaigns') }}
    union all
    select
        'health' as source_role,
        count(*) as seed_rows
    from {{ ref('stg_health__campaigns') }}

),

rejected_rows as (

    select
        source_role,
        count(distinct source_row_number) as rejected_rows
    from rejects
    where is_row_rejected
    group by 1

),

manifest_checked as (

    select
        manifest.source_role,
        manifest.file_name,
        manifest.rows_read,
        manifest.rows_loaded,
        manifest.rows_rejected,
        loaded_rows.seed_rows,
        coalesce(rejected_rows.rejected_rows, 0) as rejected_rows
    from manifest
    left join loaded_rows
        on manifest.source_role = loaded_rows.source_role
    left join rejected_rows
        on manifest.source_role = rejected_rows.source_role

)

select *
from manifest_checked
where
    rows_read != rows_loaded + rows_rejected
    or seed_rows is null
    or seed_rows != rows_loaded
    or rejected_rows != rows_rejected
