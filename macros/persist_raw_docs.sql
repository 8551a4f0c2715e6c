{#
    The descriptions of the raw seeds (seeds/_seeds.yml) as comments on the
    raw tables, when they exist. The main job loads those tables itself,
    outside dbt seed, so seed materialization's persist_docs never sees them;
    run as an on-run-end hook of every dbt call (DuckDB only: the Spark
    check's tables are dbt seed's own).
#}
{% macro persist_raw_docs() %}
    {%- if execute and target.type == 'duckdb' -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'seed' and node.schema == 'raw' -%}
            {%- set relation = adapter.get_relation(
                database=node.database,
                schema=node.schema,
                identifier=node.alias
            ) -%}
            {%- if relation is not none -%}
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
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
