{#
    One row per headline figure compared between this build and the last
    published build (build_history): roster campaigns, known budget,
    rejected rows and the match rate (match_rate_check), each with its
    threshold, a dbt var. A figure beyond its threshold is a drift: the
    build publishes, and the main job, partners.html (rpt_drift_warnings)
    and a warn-severity test say it. No drift when no build was published
    before.
#}

with

build_history as (

    select * from {{ ref('build_history') }}

),

match_rate_check as (

    select * from {{ ref('match_rate_check') }}

),

this_build as (

    select
        campaign_count,
        known_budget,
        rejected_row_count
    from build_history
    where is_this_build

),

earlier_builds as (

    select
        built_at,
        campaign_count,
        known_budget,
        rejected_row_count,
        row_number() over (order by built_at desc) as recency
    from build_history
    where not is_this_build

),

last_published_build as (

    select
        max(built_at) as built_at,
        max(campaign_count) as campaign_count,
        max(known_budget) as known_budget,
        max(rejected_row_count) as rejected_row_count
    from earlier_builds
    where recency = 1

),

compared as (

    select
        this_build.campaign_count,
        this_build.known_budget,
        this_build.rejected_row_count,
        last_published_build.built_at as last_built_at,
        last_published_build.campaign_count as last_campaign_count,
        last_published_build.known_budget as last_known_budget,
        last_published_build.rejected_row_count as last_rejected_row_count,
        1 - 1.0 * this_build.campaign_count
        / nullif(last_published_build.campaign_count, 0) as campaign_drop,
        1 - 1.0 * this_build.known_budget
        / nullif(last_published_build.known_budget, 0) as known_budget_drop,
        match_rate_check.match_rate,
        match_rate_check.previous_match_rate as last_match_rate,
        match_rate_check.is_match_rate_collapsed,
        concat(
            ' in the last published build (built ',
            cast(last_published_build.built_at as {{ dbt.type_string() }}),
            ')'
        ) as last_build_text
    from this_build
    cross join last_published_build
    cross join match_rate_check

),

{#- each figure: its value in compared (the last build's is last_<value>),
    its threshold var, when it is a drift, and the warning's words -#}
{%- set figures = [
    {
        'figure': 'campaigns',
        'value': 'campaign_count',
        'threshold_var': 'drift_campaigns_max_drop',
        'is_drift': 'coalesce(campaign_count < last_campaign_count * (1 - '
            ~ var('drift_campaigns_max_drop') ~ '), false)',
        'message': "'campaigns down ', " ~ format_percent('campaign_drop')
            ~ ", ': ', " ~ format_count('campaign_count')
            ~ ", ' against ', " ~ format_count('last_campaign_count')
            ~ ", last_build_text, '; the threshold is a drop of ', "
            ~ format_percent(var('drift_campaigns_max_drop'))
            ~ ", ' (var drift_campaigns_max_drop)'",
    },
    {
        'figure': 'known_budget',
        'value': 'known_budget',
        'threshold_var': 'drift_known_budget_max_drop',
        'is_drift': 'coalesce(known_budget < last_known_budget * (1 - '
            ~ var('drift_known_budget_max_drop') ~ '), false)',
        'message': "'known budget down ', "
            ~ format_percent('known_budget_drop')
            ~ ", ': ', " ~ format_money('known_budget')
            ~ ", ' against ', " ~ format_money('last_known_budget')
            ~ ", last_build_text, '; the threshold is a drop of ', "
            ~ format_percent(var('drift_known_budget_max_drop'))
            ~ ", ' (var drift_known_budget_max_drop)'",
    },
    {
        'figure': 'rejected_rows',
        'value': 'rejected_row_count',
        'threshold_var': 'drift_rejected_rows_max_growth',
        'is_drift': 'coalesce(last_rejected_row_count is not null'
            ~ ' and rejected_row_count'
            ~ ' > greatest(last_rejected_row_count, 1) * '
            ~ var('drift_rejected_rows_max_growth') ~ ', false)',
        'message': "'rejected rows up: ', "
            ~ format_count('rejected_row_count')
            ~ ", ' against ', " ~ format_count('last_rejected_row_count')
            ~ ", last_build_text, '; the threshold is ', '"
            ~ var('drift_rejected_rows_max_growth') ~ " times as many', "
            ~ "' (var drift_rejected_rows_max_growth)'",
    },
    {
        'figure': 'match_rate',
        'value': 'match_rate',
        'threshold_var': 'match_rate_collapsed_share',
        'is_drift': 'is_match_rate_collapsed',
        'message': "'match rate collapsed: ', " ~ format_percent('match_rate')
            ~ ", ' against ', " ~ format_percent('last_match_rate')
            ~ ", last_build_text, '; the threshold is ', "
            ~ format_percent(var('match_rate_collapsed_share'))
            ~ ", ' of it (var match_rate_collapsed_share)'",
    },
] %}

figures as (

    {%- for figure in figures %}
        select
            {{ loop.index }} as figure_order,
            '{{ figure.figure }}' as figure,
            cast({{ figure.value }} as decimal(18, 4)) as this_build_value,
            cast(last_{{ figure.value }} as decimal(18, 4))
                as last_build_value,
            '{{ figure.threshold_var }}' as threshold_var,
            cast({{ var(figure.threshold_var) }} as decimal(18, 4))
                as threshold,
            {{ figure.is_drift }} as is_drift,
            concat({{ figure.message }}) as message,
            last_built_at
        from compared
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

warned as (

    select
        figure,
        figure_order,
        this_build_value,
        last_build_value,
        last_built_at,
        threshold_var,
        threshold,
        is_drift,
        case when is_drift then message end as drift_warning
    from figures

)

select * from warned
order by figure_order
