{#- Described in macros/persist_descriptions.yml. -#}
{% macro persist_descriptions(results) %}
    {%- if execute and target.type == 'duckdb' -%}
        {%- set catalog = run_query(
            "select lower(table_schema || '.' || table_name),"
            " lower(column_name) from information_schema.columns"
            " where table_catalog = current_database()"
        ) -%}
        {%- set existing = {} -%}
        {%- for table, column in catalog.rows -%}
            {%- do existing.setdefault(table, []).append(column) -%}
        {%- endfor -%}
        {%- set nodes = {} -%}
        {%- for result in results
            if result.node.resource_type in ('model', 'seed')
            and result.status == 'success' -%}
            {%- do nodes.update({result.node.unique_id: result.node}) -%}
        {%- endfor -%}
        {#- the main job loads the raw tables itself, outside dbt seed -#}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'seed' and node.schema == 'raw' -%}
            {%- do nodes.update({node.unique_id: node}) -%}
        {%- endfor -%}
        {#- dbt-duckdb's dollar quoting (duckdb_escape_comment), inlined: a
            macro call per column costs more than the statements -#}
        {%- set quote = '$dbt_comment_literal_block$' -%}
        {%- set statements = [] -%}
        {%- for node in nodes.values() -%}
            {%- set columns = existing.get(
                (node.schema ~ '.' ~ node.alias) | lower, []
            ) -%}
            {%- set persist = node.config.persist_docs or {} -%}
            {%- set kind = (
                'view' if node.config.materialized == 'view' else 'table'
            ) -%}
            {%- set relation = api.Relation.create(
                database=node.database,
                schema=node.schema,
                identifier=node.alias,
                type=kind
            ) -%}
            {%- if columns and persist.relation and node.description -%}
                {%- do statements.append(
                    'comment on ' ~ kind ~ ' ' ~ relation ~ ' is '
                    ~ quote ~ node.description ~ quote
                ) -%}
            {%- endif -%}
            {%- for name, column in node.columns.items()
                if persist.columns and name | lower in columns
                and column.description -%}
                {%- do statements.append(
                    'comment on column ' ~ relation ~ '."' ~ name ~ '" is '
                    ~ quote ~ column.description ~ quote
                ) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if statements -%}
            {#- one transaction: each statement committed on its own costs
                a write to disk -#}
            {%- do run_query(
                'begin transaction;\n' ~ statements | join(';\n')
                ~ ';\ncommit'
            ) -%}
        {%- endif -%}
        {#- a hook's statements run in a transaction dbt would roll back -#}
        {%- do adapter.commit() -%}
    {%- endif -%}
{% endmacro %}

{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) -%}
    {#- on DuckDB the on-run-end hook persist_descriptions writes them all -#}
{%- endmacro %}
