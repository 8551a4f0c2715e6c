{#- Described in macros/database_engine_version.yml. -#}
{% macro database_engine_version() -%}
    {{ return(adapter.dispatch('database_engine_version', 'partners')()) }}
{%- endmacro %}

{% macro default__database_engine_version() -%}
    concat('DuckDB ', version())
{%- endmacro %}

{% macro spark__database_engine_version() -%}
    concat('Spark ', version())
{%- endmacro %}
