{#
    A seed text column with blank cells as null: nullif(trim(column), '').
    Dispatched: dbt-spark's seed loader writes an empty CSV cell as the text
    'None', so on Spark that text is null too (a literal 'None' in a workbook
    cannot be told apart from a blank there).
#}
{% macro empty_as_null(column) -%}
    {{ return(adapter.dispatch('empty_as_null', 'partners')(column)) }}
{%- endmacro %}

{% macro default__empty_as_null(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{% macro spark__empty_as_null(column) -%}
    nullif(nullif(trim({{ column }}), ''), 'None')
{%- endmacro %}
