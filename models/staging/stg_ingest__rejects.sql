with

source as (

    select * from {{ ref('raw_ingest_rejects') }}

),

renamed as (

    select

        ---------- strings
        source_role,
        file_name,
        sheet_name,
        {{ empty_as_null('column_name') }} as column_name,
        raw_value,
        reason,
        message,
        scope as reject_scope,

        ---------- numerics
        cast(row_number as integer) as source_row_number,

        ---------- booleans
        scope = 'row' as is_row_rejected

    from source

)

select * from renamed
