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

{% macro to_kind(expression, kind) -%}
    {%- if kind == 'money' -%}
        {{ partners.to_money(expression) }}
    {%- elif kind == 'count' -%}
        {{ partners.to_count(expression) }}
    {%- elif kind == 'share' -%}
        {{ partners.to_share(expression) }}
    {%- elif kind == 'typed' -%}
        {{ expression }}
    {%- else -%}
        {{ exceptions.raise_compiler_error('to_kind: unknown kind ' ~ kind) }}
    {%- endif -%}
{%- endmacro %}
