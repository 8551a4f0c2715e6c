{#
    One row per day from 2020-01-01 for 10,000 days: the time spine
    MetricFlow joins time dimensions to (dbt's semantic layer needs one).
    Days are counted from digits, so the SQL runs on DuckDB and Spark alike.
#}

with

digits as (

    select digit_values.digit
    from (
        values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)
    ) as digit_values (digit)

),

day_numbers as (

    select
        ones.digit
        + 10 * tens.digit
        + 100 * hundreds.digit
        + 1000 * thousands.digit as day_number
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands

),

days as (

    select
        cast(
            {{ dbt.dateadd('day', 'day_number', "cast('2020-01-01' as date)") }}
            as date
        ) as date_day
    from day_numbers

)

select * from days
order by date_day
