{#
    Use a model's custom schema as is (raw, staging, marts), not prefixed with
    the target schema, so analysts query marts.campaigns rather than
    main_marts.campaigns.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
