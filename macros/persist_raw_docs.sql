{#- Described in macros/persist_raw_docs.yml. -#}
{% macro persist_raw_docs() %}
    {%- if execute and target.type == 'duckdb' -%}
        {%- set existing = run_query(
            "select lower(table_name) from information_schema.tables"
            " where table_catalog = current_database()"
            " and table_schema = 'raw'"
        ).columns[0].values() | list -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'seed' and node.schema == 'raw'
            and node.alias | lower in existing -%}
            {%- set relation = api.Relation.create(
                database=node.database,
                schema=node.schema,
                identifier=node.alias,
                type='table'
            ) -%}
            {%- if node.description -%}
                {%- do run_query(
                    alter_relation_comment(relation, node.description)
                ) -%}
            {%- endif -%}
            {%- if node.columns -%}
                {%- do run_query(
                    alter_column_comment(relation, node.columns)
                ) -%}
            {%- endif -%}
        {%- endfor -%}
        {#- a hook's statements run in a transaction dbt would roll back -#}
        {%- do adapter.commit() -%}
    {%- endif -%}
{% endmacro %}
