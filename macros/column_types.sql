{#- Described in macros/column_types.yml. -#}
{% macro to_money(expression) -%}
    cast({{ expression }} as decimal(18, 2))
{%- endmacro %}

{% macro to_count(expression) -%}
    cast({{ expression }} as integer)
{%- endmacro %}

{% macro to_share(expression) -%}
    cast(round({{ expression }}, 4) as decimal(9, 4))
{%- endmacro %}
