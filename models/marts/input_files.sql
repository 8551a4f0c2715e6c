{#
    One row per input file: the manifest's rows read, and the rows loaded and
    rejected counted from the staging models (so they follow from the same
    rules; for Health, the current drop's rows: int_health_drops);
    rows_read = rows_loaded + rows_rejected is tested.
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

current_health_drop as (

    select * from {{ ref('int_health_drops') }}
    where is_current_drop

),

current_health_rows as (

    select
        health.source_file,
        health.is_loaded
    from health
    inner join current_health_drop
        on
            health.as_of_date = current_health_drop.as_of_date
            and health.source_file = current_health_drop.source_file

),

staged_rows as (

    select
        'breakout' as source_role,
        source_file,
        is_loaded
    from roster
    union all
    select
        'health' as source_role,
        source_file,
        is_loaded
    from current_health_rows

),

file_counts as (

    select
        source_role,
        source_file,
        sum(case when is_loaded then 1 else 0 end) as rows_loaded,
        sum(case when is_loaded then 0 else 1 end) as rows_rejected
    from staged_rows
    group by 1, 2

),

files_with_counts as (

    select
        files.source_role,
        files.file_name,
        files.file_sha256,
        files.file_bytes,
        files.sheet_name,
        files.header_row,
        files.rows_read,
        {{ to_count('coalesce(file_counts.rows_loaded, 0)') }} as rows_loaded,
        {{ to_count('coalesce(file_counts.rows_rejected, 0)') }}
            as rows_rejected,
        files.blank_rows_skipped,
        files.as_of_date,
        files.ingested_at,
        files.header_mapping
    from files
    left join file_counts
        on
            files.source_role = file_counts.source_role
            and files.file_name = file_counts.source_file

)

select * from files_with_counts
order by source_role
