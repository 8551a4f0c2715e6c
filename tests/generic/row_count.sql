{#- Described in tests/generic/_generic_tests.yml. -#}
{% test row_count(model, expected) %}

select count(*) as row_count
from {{ model }}
having count(*) != {{ expected }}

{% endtest %}
