{#
    Exact and conflicting duplicates, as window columns over a cleaned
    staging relation (one file or one Health drop at a time, `partition`):
    - first_copy_row_number: the source row of the first of identical rows
      (all `columns` equal); every other row (copy_number 2) is rejected
      duplicate-row, one kept;
    - versions_of_key: how many different rows share the matching key
      (`key`); over 1 rejects every one of them (conflicting-duplicate, never
      "keep last"), including two IDs that differ only in leading zeros;
      first_spelling / last_spelling: the IDs as written for that key.
    Only rows without an earlier reject reason (`reason` is null) count.
#}
{% macro duplicate_copy_columns(partition, reason, columns) -%}
    {#- one unordered window (no sort): the first copy is the lowest row -#}
    min(source_row_number) over (
        partition by
            {{ partition }},
            {{ reason }} is null,
            {{ columns | join(', ') }}
    ) as first_copy_row_number
{%- endmacro %}

{#- 1 for the first of identical rows, 2 for each copy. -#}
{% macro copy_number() -%}
    case when source_row_number = first_copy_row_number then 1 else 2 end
{%- endmacro %}

{% macro duplicate_key_columns(partition, reason, key, id) -%}
    sum(
        case
            when {{ reason }} is null and {{ partners.copy_number() }} = 1 then 1
            else 0
        end
    ) over (partition by {{ partition }}, {{ key }}) as versions_of_key,
    min(case when {{ reason }} is null then {{ id }} end) over (
        partition by {{ partition }}, {{ key }}
    ) as first_spelling,
    max(case when {{ reason }} is null then {{ id }} end) over (
        partition by {{ partition }}, {{ key }}
    ) as last_spelling
{%- endmacro %}

{#- The final reject reason and column of a row, after duplicates. -#}
{% macro duplicate_reject_reason(reason) -%}
    case
        when {{ reason }} is not null then {{ reason }}
        when {{ partners.copy_number() }} > 1 then 'duplicate-row'
        when versions_of_key > 1 then 'conflicting-duplicate'
    end
{%- endmacro %}

{% macro duplicate_reject_column(reason, column) -%}
    case
        when {{ reason }} is not null then {{ column }}
        when {{ partners.copy_number() }} > 1 then null
        when versions_of_key > 1 then 'campaign_id'
    end
{%- endmacro %}

{#- The message of a duplicate-row or conflicting-duplicate reject. -#}
{% macro duplicate_reject_message(reject_reason) -%}
    case
        when {{ reject_reason }} = 'duplicate-row'
            then 'exact duplicate of row '
            || cast(first_copy_row_number as string)
        when {{ reject_reason }} = 'conflicting-duplicate'
            and first_spelling != last_spelling
            then 'campaign_id ' || first_spelling || ' and ' || last_spelling
            || ' differ only in leading zeros: one campaign with'
            || ' different values on several rows'
        when {{ reject_reason }} = 'conflicting-duplicate'
            then 'campaign_id ' || campaign_id_value
            || ' is on several rows with different values'
    end
{%- endmacro %}
