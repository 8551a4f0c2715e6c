{#
    One row: how many of this build's Health campaigns match a roster
    campaign, against the last published build (build_history), and the
    warning when the rate is near zero (below var('match_rate_near_zero')) or
    collapsed (below var('match_rate_collapsed_share') of the last build's).
    The main job prints the warning as a banner, and partners.html heads its
    page with it; the build still publishes (a warn-severity test says it).
#}

with

build_history as (

    select * from {{ ref('build_history') }}

),

this_build as (

    select
        health_campaign_count,
        matched_health_campaign_count
    from build_history
    where is_this_build

),

earlier_builds as (

    select
        health_campaign_count,
        matched_health_campaign_count,
        row_number() over (order by built_at desc) as recency
    from build_history
    where not is_this_build

),

last_published_build as (

    select
        max(health_campaign_count) as health_campaign_count,
        max(matched_health_campaign_count) as matched_health_campaign_count
    from earlier_builds
    where recency = 1

),

rates as (

    select
        this_build.health_campaign_count,
        this_build.matched_health_campaign_count,
        last_published_build.health_campaign_count
            as previous_health_campaign_count,
        last_published_build.matched_health_campaign_count
            as previous_matched_health_campaign_count,
        case
            when this_build.health_campaign_count > 0
                then
                    1.0 * this_build.matched_health_campaign_count
                    / this_build.health_campaign_count
        end as match_rate,
        case
            when last_published_build.health_campaign_count > 0
                then
                    1.0 * last_published_build.matched_health_campaign_count
                    / last_published_build.health_campaign_count
        end as previous_match_rate
    from this_build
    cross join last_published_build

),

flagged as (

    select
        *,
        coalesce(
            match_rate < {{ var('match_rate_near_zero') }}, false
        ) as is_match_rate_near_zero,
        coalesce(
            match_rate
            < previous_match_rate * {{ var('match_rate_collapsed_share') }},
            false
        ) as is_match_rate_collapsed
    from rates

),

texts as (

    select
        *,
        {{ format_count('matched_health_campaign_count') }} as matched_text,
        {{ format_count('health_campaign_count') }} as health_text,
        {{ format_percent('match_rate') }} as rate_text,
        {{ format_count('previous_matched_health_campaign_count') }}
            as previous_matched_text,
        {{ format_count('previous_health_campaign_count') }}
            as previous_health_text,
        {{ format_percent('previous_match_rate') }} as previous_rate_text
    from flagged

),

warned as (

    select
        {{ to_count('health_campaign_count') }} as health_campaign_count,
        {{ to_count('matched_health_campaign_count') }}
            as matched_health_campaign_count,
        cast(match_rate as double) as match_rate,
        {{ to_count('previous_health_campaign_count') }}
            as previous_health_campaign_count,
        {{ to_count('previous_matched_health_campaign_count') }}
            as previous_matched_health_campaign_count,
        cast(previous_match_rate as double) as previous_match_rate,
        is_match_rate_near_zero,
        is_match_rate_collapsed,
        case
            when is_match_rate_near_zero
                then concat(
                        'only ', matched_text, ' of ', health_text,
                        ' health campaigns (', rate_text,
                        ') match a roster campaign: check that both files use',
                        ' the same campaign IDs'
                    )
            when is_match_rate_collapsed
                then concat(
                        'the match rate collapsed: ', matched_text, ' of ',
                        health_text, ' health campaigns (', rate_text,
                        ') match a roster campaign, against ',
                        previous_matched_text, ' of ', previous_health_text,
                        ' (', previous_rate_text,
                        ') in the last published build: check that both files',
                        ' use the same campaign IDs'
                    )
        end as match_rate_warning
    from texts

)

select * from warned
