-- Why each input row was kept out or had a value cleared: where it was, what
-- it held, and the reason (an earlier Health drop's rows: health_history).
select
    source_role,
    as_of_date,
    file_name,
    sheet_name,
    source_row_number,
    column_name,
    raw_value,
    reason,
    message,
    is_row_rejected
from {{ ref('rejected_rows') }}
order by
    as_of_date desc, source_role asc, file_name asc, source_row_number asc,
    column_name asc;
