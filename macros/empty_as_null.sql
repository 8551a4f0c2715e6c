{#- Described in macros/empty_as_null.yml. -#}
{% macro empty_as_null(column) -%}
    {{ return(adapter.dispatch('empty_as_null', 'partners')(column)) }}
{%- endmacro %}

{% macro default__empty_as_null(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{% macro spark__empty_as_null(column) -%}
    nullif(nullif(trim({{ column }}), ''), 'None')
{%- endmacro %}
