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
        {{ partners.to_kind(expression, kind) }} as {{ name }}
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{% macro derived_campaign_measure_expressions() -%}
    {#- {t} stands for the totals' relation, so the columns can be qualified -#}
    {%- set gap = '({t}campaign_count - {t}campaigns_with_budget_data)' -%}
    {%- set tunable_gap = (
        '({t}tunable_campaign_count - {t}tunable_campaigns_with_budget_data)'
    ) -%}
    {{ return({
        'campaigns_without_budget_data': [gap, 'count'],
        'budget_coverage_by_count': [
            '1.0 * {t}campaigns_with_budget_data / {t}campaign_count', 'share'
        ],
        'budget_coverage_by_dollars': [
            partners.known_share(
                '{t}known_budget', '{t}known_and_estimated_budget'
            ),
            'typed'
        ],
        'estimated_only_budget_share': [
            partners.estimated_share(
                '{t}known_budget', '{t}known_and_estimated_budget'
            ),
            'typed'
        ],
        'tunable_campaigns_without_budget_data': [tunable_gap, 'count'],
        'fixed_fee_campaigns_without_budget_data': [
            gap ~ ' - ' ~ tunable_gap, 'count'
        ],
        'non_tunable_campaign_count': [
            '{t}campaign_count - {t}tunable_campaign_count', 'count'
        ],
        'non_tunable_known_budget': [
            '{t}known_budget - {t}tunable_known_budget', 'money'
        ],
    }) }}
{%- endmacro %}

{% macro derived_campaign_measures(names, totals=none) -%}
    {%- set expressions = partners.derived_campaign_measure_expressions() -%}
    {%- set prefix = totals ~ '.' if totals else '' -%}
    {%- for name in names %}
        {%- set template, kind = expressions[name] %}
        {{ partners.to_kind(template | replace('{t}', prefix), kind) }}
            as {{ name }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
