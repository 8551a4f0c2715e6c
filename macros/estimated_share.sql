{#- Described in macros/estimated_share.yml. -#}
{% macro estimated_share(known_budget, known_and_estimated_budget) -%}
    cast(
        case
            when {{ known_and_estimated_budget }} > 0
                then round(
                    1 - {{ known_budget }} / {{ known_and_estimated_budget }}, 4
                )
            else 0
        end as decimal(9, 4)
    )
{%- endmacro %}
