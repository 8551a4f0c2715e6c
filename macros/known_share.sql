{#- Described in macros/known_share.yml. -#}
{% macro known_share(known_budget, known_and_estimated_budget) -%}
    cast(
        case
            when {{ known_and_estimated_budget }} > 0
                then round(
                    {{ known_budget }} / {{ known_and_estimated_budget }}, 4
                )
            else 0
        end as decimal(9, 4)
    )
{%- endmacro %}
