{#- Described in macros/sorted_distinct_list.yml. -#}
{% macro sorted_distinct_list(column) -%}
    {{ return(adapter.dispatch('sorted_distinct_list', 'partners')(column)) }}
{%- endmacro %}

{% macro default__sorted_distinct_list(column) -%}
    string_agg(distinct {{ column }}, ', ' order by {{ column }})
{%- endmacro %}

{% macro spark__sorted_distinct_list(column) -%}
    array_join(array_sort(collect_set({{ column }})), ', ')
{%- endmacro %}
