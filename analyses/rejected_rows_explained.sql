-- Why each input row was kept out or had a value cleared: where it was, what
-- it held, and the reason.
select
    file_name,
    sheet_name,
    source_row_number,
    column_name,
    raw_value,
    reason,
    message,
    is_row_rejected
from {{ ref('rejected_rows') }}
order by file_name asc, source_row_number asc, column_name asc;
