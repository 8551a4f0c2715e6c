with

rejects as (

    select * from {{ ref('stg_ingest__rejects') }}

),

final as (

    select
        source_role,
        file_name,
        sheet_name,
        source_row_number,
        column_name,
        raw_value,
        reason,
        message,
        is_row_rejected
    from rejects

)

select * from final
