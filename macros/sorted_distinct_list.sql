{#
    A comma-separated, alphabetically sorted list of the distinct values of a
    column within a group: 'Chat, Display, Search'. Deterministic, so the
    marts and the report do not change between builds of the same data.
#}
{% macro sorted_distinct_list(column) -%}
    {{ return(adapter.dispatch('sorted_distinct_list', 'partners')(column)) }}
{%- endmacro %}

{% macro default__sorted_distinct_list(column) -%}
    string_agg(distinct {{ column }}, ', ' order by {{ column }})
{%- endmacro %}

{#- Spark SQL has no string_agg(distinct ... order by ...): sort the set. -#}
{% macro spark__sorted_distinct_list(column) -%}
    array_join(array_sort(collect_set({{ column }})), ', ')
{%- endmacro %}
