{#
    Returns one row when the model does not hold exactly `expected` rows:
    the grain test of single-row models such as portfolio_summary.
#}
{% test row_count(model, expected) %}

select count(*) as row_count
from {{ model }}
having count(*) != {{ expected }}

{% endtest %}
