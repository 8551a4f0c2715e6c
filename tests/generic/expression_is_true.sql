{#
    Returns the rows for which `expression` (a boolean SQL expression over the
    model's columns) is not true: a portable way to assert a row-level rule.
#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
