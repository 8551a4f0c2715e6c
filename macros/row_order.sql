{#- Described in macros/row_order.yml. -#}
{% macro row_order(order_by, partition_by=none) -%}
    {%- set terms = [order_by] if order_by is string else order_by -%}
    cast(
        row_number() over (
            {%- if partition_by %}
            partition by {{ partition_by }}
            {%- endif %}
            order by {{ terms | join(', ') }}
        ) as integer
    )
{%- endmacro %}
