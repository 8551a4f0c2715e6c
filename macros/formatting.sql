{#- Described in macros/formatting.yml. -#}
{% macro format_count(expression) -%}
    {{ partners.format_number(expression, 0) }}
{%- endmacro %}

{% macro format_percent(expression) -%}
    concat({{ partners.format_number('100 * (' ~ expression ~ ')', 1) }}, '%')
{%- endmacro %}

{% macro format_money(expression) -%}
    concat('$', {{ partners.format_number(expression, 0) }})
{%- endmacro %}

{% macro format_number(expression, decimals) -%}
    {{ return(adapter.dispatch('format_number', 'partners')(
        expression, decimals
    )) }}
{%- endmacro %}

{% macro default__format_number(expression, decimals) -%}
    format('{:,.{{ decimals }}f}', cast({{ expression }} as double))
{%- endmacro %}

{% macro spark__format_number(expression, decimals) -%}
    format_number(cast({{ expression }} as double), {{ decimals }})
{%- endmacro %}
