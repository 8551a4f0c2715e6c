{#- Described in macros/campaign_measures.yml. -#}
{% macro campaign_measure_expressions() -%}
    {{ return({
        'campaign_count': 'count(*)',
        'advertiser_count': 'count(distinct maid)',
        'partner_count': 'count(distinct partner_name)',
        'product_type_count': 'count(distinct product_type)',
        'known_budget': 'sum(campaign_budget)',
        'estimated_only_budget': 'sum(estimated_only_budget)',
        'known_and_estimated_budget': 'sum(known_and_estimated_budget)',
        'campaigns_with_budget_data':
            'sum(case when has_health_data then 1 else 0 end)',
        'live_campaign_count': 'sum(case when is_live then 1 else 0 end)',
        'live_advertiser_count':
            'count(distinct case when is_live then maid end)',
        'live_known_budget':
            'sum(case when is_live then campaign_budget else 0 end)',
        'tunable_campaign_count':
            'sum(case when is_tunable then 1 else 0 end)',
        'tunable_campaigns_with_budget_data':
            'sum(case when is_tunable and has_health_data then 1 else 0 end)',
        'tunable_known_budget':
            'sum(case when is_tunable then campaign_budget else 0 end)',
    }) }}
{%- endmacro %}

{% macro campaign_measures(names) -%}
    {%- set expressions = partners.campaign_measure_expressions() -%}
    {%- for name in names %}
        {{ expressions[name] }} as {{ name }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
