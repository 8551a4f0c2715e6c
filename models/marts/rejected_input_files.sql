{#
    One row per input file of this run whose every row was rejected (none in
    a good build), with its top three reject reasons. An error-severity test
    requires it to be empty: such a build fails, and the main job says this
    model's message and publishes nothing.
#}

with

input_files as (

    select * from {{ ref('input_files') }}

),

rejected_rows as (

    {#- this run's files: rejected_rows also lists earlier drops' rows -#}
    select * from {{ ref('rejected_rows') }}
    where is_row_rejected and source_role in ('breakout', 'health')

),

reason_counts as (

    select
        source_role,
        file_name,
        reason,
        count(*) as row_count
    from rejected_rows
    group by 1, 2, 3

),

ranked_reasons as (

    select
        source_role,
        file_name,
        concat(
            reason, ' (', {{ format_count('row_count') }}, ' rows)'
        ) as reason_text,
        row_number() over (
            partition by source_role, file_name
            order by row_count desc, reason asc
        ) as reason_rank
    from reason_counts

),

top_reasons as (

    select
        source_role,
        file_name,
        concat_ws(
            '; ',
            max(case when reason_rank = 1 then reason_text end),
            max(case when reason_rank = 2 then reason_text end),
            max(case when reason_rank = 3 then reason_text end)
        ) as top_reject_reasons
    from ranked_reasons
    where reason_rank <= 3
    group by 1, 2

),

files_with_reasons as (

    select
        input_files.source_role,
        input_files.file_name,
        input_files.rows_rejected,
        top_reasons.top_reject_reasons,
        concat(
            input_files.file_name, ' (', input_files.source_role,
            '): every one of its ',
            {{ format_count('input_files.rows_rejected') }},
            ' rows was rejected; top reasons: ',
            top_reasons.top_reject_reasons
        ) as message
    from input_files
    left join top_reasons
        on
            input_files.source_role = top_reasons.source_role
            and input_files.file_name = top_reasons.file_name
    where
        input_files.rows_loaded = 0
        and input_files.rows_rejected > 0

)

select * from files_with_reasons
order by source_role, file_name
