{#- Described in macros/shares.yml. -#}
{% macro known_share(known_budget, known_and_estimated_budget) -%}
    {{ partners.share_of_positive_total(
        known_budget ~ ' / ' ~ known_and_estimated_budget,
        known_and_estimated_budget
    ) }}
{%- endmacro %}

{% macro estimated_share(known_budget, known_and_estimated_budget) -%}
    {{ partners.share_of_positive_total(
        '1 - ' ~ known_budget ~ ' / ' ~ known_and_estimated_budget,
        known_and_estimated_budget
    ) }}
{%- endmacro %}

{% macro share_of_positive_total(share, total) -%}
    {{ partners.to_share(
        'case when ' ~ total ~ ' > 0 then ' ~ share ~ ' else 0 end'
    ) }}
{%- endmacro %}
