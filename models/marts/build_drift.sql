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
        match_rate_check.previous_match_rate,
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

figures as (

    select
        1 as figure_order,
        'campaigns' as figure,
        cast(campaign_count as decimal(18, 4)) as this_build_value,
        cast(last_campaign_count as decimal(18, 4)) as last_build_value,
        'drift_campaigns_max_drop' as threshold_var,
        cast({{ var('drift_campaigns_max_drop') }} as decimal(18, 4))
            as threshold,
        coalesce(
            campaign_count
            < last_campaign_count
            * (1 - {{ var('drift_campaigns_max_drop') }}),
            false
        ) as is_drift,
        concat(
            'campaigns down ',
            {{ format_percent('campaign_drop') }},
            ': ', {{ format_count('campaign_count') }}, ' against ',
            {{ format_count('last_campaign_count') }}, last_build_text,
            '; the threshold is a drop of ',
            {{ format_percent(var('drift_campaigns_max_drop')) }},
            ' (var drift_campaigns_max_drop)'
        ) as message,
        last_built_at
    from compared
    union all
    select
        2 as figure_order,
        'known_budget' as figure,
        cast(known_budget as decimal(18, 4)) as this_build_value,
        cast(last_known_budget as decimal(18, 4)) as last_build_value,
        'drift_known_budget_max_drop' as threshold_var,
        cast({{ var('drift_known_budget_max_drop') }} as decimal(18, 4))
            as threshold,
        coalesce(
            known_budget
            < last_known_budget
            * (1 - {{ var('drift_known_budget_max_drop') }}),
            false
        ) as is_drift,
        concat(
            'known budget down ',
            {{ format_percent('known_budget_drop') }},
            ': ', {{ format_money('known_budget') }}, ' against ',
            {{ format_money('last_known_budget') }}, last_build_text,
            '; the threshold is a drop of ',
            {{ format_percent(var('drift_known_budget_max_drop')) }},
            ' (var drift_known_budget_max_drop)'
        ) as message,
        last_built_at
    from compared
    union all
    select
        3 as figure_order,
        'rejected_rows' as figure,
        cast(rejected_row_count as decimal(18, 4)) as this_build_value,
        cast(last_rejected_row_count as decimal(18, 4)) as last_build_value,
        'drift_rejected_rows_max_growth' as threshold_var,
        cast({{ var('drift_rejected_rows_max_growth') }} as decimal(18, 4))
            as threshold,
        coalesce(
            last_rejected_row_count is not null
            and rejected_row_count
            > greatest(last_rejected_row_count, 1)
            * {{ var('drift_rejected_rows_max_growth') }},
            false
        ) as is_drift,
        concat(
            'rejected rows up: ', {{ format_count('rejected_row_count') }},
            ' against ', {{ format_count('last_rejected_row_count') }},
            last_build_text, '; the threshold is ',
            '{{ var("drift_rejected_rows_max_growth") }} times as many',
            ' (var drift_rejected_rows_max_growth)'
        ) as message,
        last_built_at
    from compared
    union all
    select
        4 as figure_order,
        'match_rate' as figure,
        cast(match_rate as decimal(18, 4)) as this_build_value,
        cast(previous_match_rate as decimal(18, 4)) as last_build_value,
        'match_rate_collapsed_share' as threshold_var,
        cast({{ var('match_rate_collapsed_share') }} as decimal(18, 4))
            as threshold,
        is_match_rate_collapsed as is_drift,
        concat(
            'match rate collapsed: ', {{ format_percent('match_rate') }},
            ' against ', {{ format_percent('previous_match_rate') }},
            last_build_text, '; the threshold is ',
            {{ format_percent(var('match_rate_collapsed_share')) }},
            ' of it (var match_rate_collapsed_share)'
        ) as message,
        last_built_at
    from compared

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
