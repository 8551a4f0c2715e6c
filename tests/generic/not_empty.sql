{#- Described in tests/generic/_generic_tests.yml. -#}
{% test not_empty(model) %}

select 'no rows' as failure
where not exists (select 1 from {{ model }})

{% endtest %}
