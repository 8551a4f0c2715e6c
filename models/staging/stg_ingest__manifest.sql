with

source as (

    select * from {{ ref('raw_ingest_manifest') }}

),

renamed as (

    select

        ---------- strings
        source_role,
        file_name,
        file_sha256,
        sheet_name,

        ---------- numerics
        file_bytes,
        header_row,
        rows_read,
        rows_loaded,
        rows_rejected,
        blank_rows_skipped,

        ---------- booleans
        is_sample,

        ---------- dates
        as_of_date,
        ingested_at

    from source

)

select * from renamed
