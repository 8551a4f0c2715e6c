{#
    dbt-spark adds a contract's not_null constraints with ALTER TABLE ... SET
    NOT NULL whenever a model's file_format is delta or not set, but only
    Delta tables accept that statement; the plain tables the Spark check
    builds would fail. Here they are added to Delta tables only. Elsewhere
    DuckDB enforces them, and the Spark check compares every mart with
    DuckDB's row by row.
#}
{% macro spark__persist_constraints(relation, model) %}
    {%- set contract_config = config.get('contract') -%}
    {%- if contract_config.enforced and config.get('file_format') == 'delta' -%}
        {%- do alter_table_add_constraints(relation, model.constraints) -%}
        {%- do alter_column_set_constraints(relation, model.columns) -%}
    {%- endif -%}
{% endmacro %}
