{#- Described in macros/is_live_status.yml. -#}
{% macro is_live_status(column) -%}
    coalesce(lower(trim({{ column }})) = 'active', false)
{%- endmacro %}
