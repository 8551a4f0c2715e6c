{#- Described in macros/formatting.yml. -#}
{% macro format_count(expression) -%}
    {{ return(adapter.dispatch('format_count', 'partners')(expression)) }}
{%- endmacro %}

{% macro default__format_count(expression) -%}
    format('{:,}', cast({{ expression }} as bigint))
{%- endmacro %}

{% macro spark__format_count(expression) -%}
    format_number(cast({{ expression }} as bigint), 0)
{%- endmacro %}

{% macro format_percent(expression) -%}
    {{ return(adapter.dispatch('format_percent', 'partners')(expression)) }}
{%- endmacro %}

{% macro default__format_percent(expression) -%}
    format('{:.1f}%', cast(100 * ({{ expression }}) as double))
{%- endmacro %}

{% macro spark__format_percent(expression) -%}
    concat(format_number(cast(100 * ({{ expression }}) as double), 1), '%')
{%- endmacro %}

{% macro format_money(expression) -%}
    {{ return(adapter.dispatch('format_money', 'partners')(expression)) }}
{%- endmacro %}

{% macro default__format_money(expression) -%}
    format('${:,.0f}', cast({{ expression }} as double))
{%- endmacro %}

{% macro spark__format_money(expression) -%}
    concat('$', format_number(cast({{ expression }} as double), 0))
{%- endmacro %}
