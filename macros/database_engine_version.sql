{#
    The database engine's name and version as SQL text: 'DuckDB v1.4.2',
    'Spark 3.5.1 ...' (both engines have a version() function).
#}
{% macro database_engine_version() -%}
    {{ return(adapter.dispatch('database_engine_version', 'partners')()) }}
{%- endmacro %}

{% macro default__database_engine_version() -%}
    concat('DuckDB ', version())
{%- endmacro %}

{% macro spark__database_engine_version() -%}
    concat('Spark ', version())
{%- endmacro %}
