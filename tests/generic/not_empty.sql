{#
    Fails when the model has no rows, so an empty export fails loudly instead
    of producing an empty report. Returns one row when the model is empty.
#}
{% test not_empty(model) %}

select 'no rows' as failure
where not exists (select 1 from {{ model }})

{% endtest %}
