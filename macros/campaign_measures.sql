{#- Described in macros/campaign_measures.yml. -#}
{% macro campaign_measure_expressions() -%}
    {{ return({
        'campaign_count': ['count(*)', 'count'],
        'advertiser_count': ['count(distinct maid)', 'count'],
        'partner_count': ['count(distinct partner_name)', 'count'],
        'product_type_count': ['count(distinct product_type)', 'count'],
        'known_budget': ['sum(campaign_budget)', 'money'],
        'estimated_only_budget': ['sum(estimated_only_budget)', 'money'],
        'known_and_estimated_budget':
            ['sum(known_and_estimated_budget)', 'money'],
        'campaigns_with_budget_data':
            ['sum(case when has_health_data then 1 else 0 end)', 'count'],
        'live_campaign_count':
            ['sum(case when is_live then 1 else 0 end)', 'count'],
        'live_advertiser_count':
            ['count(distinct case when is_live then maid end)', 'count'],
        'live_known_budget':
            ['sum(case when is_live then campaign_budget else 0 end)', 'money'],
        'tunable_campaign_count':
            ['sum(case when is_tunable then 1 else 0 end)', 'count'],
        'tunable_campaigns_with_budget_data': [
            'sum(case when is_tunable and has_health_data then 1 else 0 end)',
            'count'
        ],
        'tunable_known_budget': [
            'sum(case when is_tunable then campaign_budget else 0 end)',
            'money'
        ],
    }) }}
{%- endmacro %}

{% macro campaign_measures(names=none) -%}
    {%- set expressions = partners.campaign_measure_expressions() -%}
    {%- for name in (names or expressions.keys() | list) %}
        {%- set expression, kind = expressions[name] %}
        {% if kind == 'money' -%}
            {{ partners.to_money(expression) }}
        {%- else -%}
            {{ partners.to_count(expression) }}
        {%- endif %} as {{ name }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
