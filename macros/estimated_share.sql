{#
    The share of an estimated budget that is estimated rather than known:
    1 - known / estimated, as decimal(9, 4); 0 when the estimate is 0.
#}
{% macro estimated_share(known_budget, estimated_budget) -%}
    cast(
        case
            when {{ estimated_budget }} > 0
                then round(1 - {{ known_budget }} / {{ estimated_budget }}, 4)
            else 0
        end as decimal(9, 4)
    )
{%- endmacro %}
