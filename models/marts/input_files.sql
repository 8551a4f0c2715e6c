with

manifest as (

    select * from {{ ref('stg_ingest__manifest') }}

),

final as (

    select
        source_role,
        file_name,
        file_sha256,
        file_bytes,
        sheet_name,
        header_row,
        rows_read,
        rows_loaded,
        rows_rejected,
        blank_rows_skipped,
        is_sample,
        as_of_date,
        ingested_at
    from manifest

)

select * from final
