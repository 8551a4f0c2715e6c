{#
    Returns one row when the model and compare_model hold a different number
    of rows: used to prove that a join neither dropped nor duplicated rows.
#}
{% test equal_row_count(model, compare_model) %}

with

model_rows as (
    select count(*) as row_count from {{ model }}
),

compare_model_rows as (
    select count(*) as row_count from {{ compare_model }}
)

select
    model_rows.row_count as model_row_count,
    compare_model_rows.row_count as compare_model_row_count
from model_rows
cross join compare_model_rows
where model_rows.row_count != compare_model_rows.row_count

{% endtest %}
