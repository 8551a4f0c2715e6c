{% macro build_setting(name) -%}
    {%- if execute -%}
        '{{ env_var(name, "unknown") | replace("'", "''") }}'
    {%- else -%}
        'unknown'
    {%- endif -%}
{%- endmacro %}
