{#- Described in macros/ref.yml. -#}
{% macro ref() %}
    {%- set version = kwargs.get('version') or kwargs.get('v') -%}
    {%- if (varargs | length) == 1 -%}
        {%- set relation = builtins.ref(varargs[0], version=version) -%}
    {%- else -%}
        {%- set relation = builtins.ref(
            varargs[0], varargs[1], version=version
        ) -%}
    {%- endif -%}
    {%- if model is mapping and model.get('resource_type') == 'analysis' -%}
        {%- do return(relation.include(database=false)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{% endmacro %}
