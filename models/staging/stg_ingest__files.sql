with

source as (

    select * from {{ ref('raw_ingest_files') }}

),

renamed as (

    select

        ---------- strings
        source_role,
        file_name,
        file_sha256,
        sheet_name,
        {{ empty_as_null('header_mapping') }} as header_mapping,

        ---------- numerics
        cast(file_bytes as bigint) as file_bytes,
        cast(header_row as integer) as header_row,
        cast(rows_read as integer) as rows_read,
        cast(blank_rows_skipped as integer) as blank_rows_skipped,

        ---------- dates
        try_cast({{ empty_as_null('as_of_date') }} as date) as as_of_date,
        try_cast(
            replace(
                replace({{ empty_as_null('ingested_at') }}, 'T', ' '), 'Z', ''
            )
            as timestamp
        ) as ingested_at

    from source

)

select * from renamed
