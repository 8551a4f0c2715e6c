{#
    One row per input file: the manifest's rows read, the rows loaded
    (int_roster_campaigns, int_health_campaigns: the current Health drop's)
    and the rows rejected (rejected_rows), so they follow from the same
    rules; rows_read = rows_loaded + rows_rejected is tested.
#}

with

files as (

    select * from {{ ref('stg_ingest__files') }}

),

loaded_roster as (

    select * from {{ ref('int_roster_campaigns') }}

),

loaded_health as (

    select * from {{ ref('int_health_campaigns') }}

),

rejected_rows as (

    select * from {{ ref('rejected_rows') }}

),

file_rows as (

    select
        'breakout' as source_role,
        source_file as file_name,
        1 as is_loaded
    from loaded_roster
    union all
    select
        'health' as source_role,
        source_file as file_name,
        1 as is_loaded
    from loaded_health
    union all
    select
        source_role,
        file_name,
        0 as is_loaded
    from rejected_rows
    where is_row_rejected and source_role in ('breakout', 'health')

),

file_counts as (

    select
        source_role,
        file_name,
        sum(is_loaded) as rows_loaded,
        sum(1 - is_loaded) as rows_rejected
    from file_rows
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
            and files.file_name = file_counts.file_name

)

select * from files_with_counts
order by source_role
