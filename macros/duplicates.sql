{#- Described in macros/duplicates.yml. -#}
{% macro duplicate_copy_columns(partition, reason, columns) -%}
    {#- one unordered window (no sort): the first copy is the lowest row -#}
    min(source_row_number) over (
        partition by
            {{ partition }},
            {{ reason }} is null,
            {{ columns | join(', ') }}
    ) as first_copy_row_number
{%- endmacro %}

{% macro copy_number() -%}
    case when source_row_number = first_copy_row_number then 1 else 2 end
{%- endmacro %}

{% macro duplicate_key_columns(partition, reason, key, id, keep_first=false) -%}
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
    ) as last_spelling,
    {%- if keep_first %}
    {#- the key's first loaded row: never a copy (its twin would come first) -#}
    min(case when {{ reason }} is null then source_row_number end) over (
        partition by {{ partition }}, {{ key }}
    ) as kept_version_row_number
    {%- else %}
    cast(null as integer) as kept_version_row_number
    {%- endif %}
{%- endmacro %}

{% macro duplicate_rejects(reason, column) -%}
    {{ return([
        (reason ~ ' is not null', reason, column),
        (partners.copy_number() ~ ' > 1', "'duplicate-row'", 'null'),
        (
            'versions_of_key > 1 and source_row_number'
            ~ ' != coalesce(kept_version_row_number, -1)',
            "'conflicting-duplicate'",
            "'campaign_id'"
        ),
    ]) }}
{%- endmacro %}

{% macro duplicate_reject_message(reject_reason) -%}
    case
        when {{ reject_reason }} = 'duplicate-row'
            then 'exact duplicate of row '
            || cast(first_copy_row_number as string)
        when {{ reject_reason }} = 'conflicting-duplicate'
            and kept_version_row_number is not null
            then 'campaign_id ' || campaign_id_value || ' is also on row '
            || cast(kept_version_row_number as string)
            || case
                when first_spelling != last_spelling
                    then ' (its ID differing only in leading zeros)'
                else ''
            end
            || ' with different values: the campaign is loaded from row '
            || cast(kept_version_row_number as string) || ' alone'
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
