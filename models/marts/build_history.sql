{#
    One row per published build: the builds published before this one (the
    build history, stg_partners__builds) and this build, its figures read
    from build_info and portfolio_summary. When the main job publishes this
    build, it appends this build's row to the build history with its stamp
    (null here: the stamp is made as the build is published).
#}

with

published_builds as (

    select * from {{ ref('stg_partners__builds') }}

),

build_info as (

    select * from {{ ref('build_info') }}

),

portfolio_summary as (

    select * from {{ ref('portfolio_summary') }}

),

this_build as (

    select
        build_info.built_at,
        cast(null as {{ dbt.type_string() }}) as build_stamp,
        build_info.campaign_count,
        build_info.advertiser_count,
        {{ to_count(
            'portfolio_summary.campaigns_with_budget_data'
            ~ ' + portfolio_summary.unmatched_health_campaign_count'
        ) }} as health_campaign_count,
        portfolio_summary.campaigns_with_budget_data
            as matched_health_campaign_count,
        portfolio_summary.known_budget,
        portfolio_summary.unmatched_health_budget,
        build_info.rejected_row_count,
        true as is_this_build
    from build_info
    cross join portfolio_summary

),

earlier_builds as (

    select
        published_builds.built_at,
        published_builds.build_stamp,
        published_builds.campaign_count,
        published_builds.advertiser_count,
        published_builds.health_campaign_count,
        published_builds.matched_health_campaign_count,
        published_builds.known_budget,
        published_builds.unmatched_health_budget,
        published_builds.rejected_row_count,
        false as is_this_build
    from published_builds

),

every_build as (

    select * from earlier_builds
    union all
    select * from this_build

)

select * from every_build
order by built_at
