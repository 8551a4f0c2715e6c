{#
    dbt's ref, except in analyses: there it renders marts.campaigns instead
    of "partners"."marts"."campaigns", so the compiled example queries run on
    any copy of the database, whatever its file (catalog) name. Models, tests
    and unit tests keep the full three-part name.
#}
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
