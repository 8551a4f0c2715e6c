{#
    One row: which build a connected client is reading. built_at is dbt's
    run start (UTC); the code version and the dbt adapter's come from the
    environment scripts/partners/dbt_runner.py sets ("unknown" when dbt is run by
    hand); the inputs, their sha256 and the as-of date come from
    input_files, and every Health drop of the history from
    int_health_drops; the row counts are those of the main marts.
#}

with

input_files as (

    select * from {{ ref('input_files') }}

),

campaigns as (

    select * from {{ ref('campaigns') }}

),

unmatched_health_campaigns as (

    select * from {{ ref('unmatched_health_campaigns') }}

),

advertisers as (

    select * from {{ ref('advertisers') }}

),

partners as (

    select * from {{ ref('partners') }}

),

account_managers as (

    select * from {{ ref('account_managers') }}

),

rejected_rows as (

    select * from {{ ref('rejected_rows') }}

),

health_history as (

    select * from {{ ref('int_health_drops') }}

),

health_drops as (

    select distinct
        concat(
            cast(as_of_date as {{ dbt.type_string() }}), ' ',
            source_file, ' ', drop_sha256
        ) as health_drop
    from health_history

),

health_drop_list as (

    select
        count(*) as health_drop_count,
        {{ sorted_distinct_list('health_drop') }} as health_drops
    from health_drops

),

inputs as (

    select
        max(case when source_role = 'breakout' then file_name end)
            as breakout_file_name,
        max(case when source_role = 'breakout' then file_sha256 end)
            as breakout_file_sha256,
        max(case when source_role = 'health' then file_name end)
            as health_file_name,
        max(case when source_role = 'health' then file_sha256 end)
            as health_file_sha256,
        max(case when source_role = 'health' then as_of_date end)
            as as_of_date
    from input_files

),

campaign_rows as (

    select count(*) as campaign_count from campaigns

),

advertiser_rows as (

    select count(*) as advertiser_count from advertisers

),

partner_rows as (

    select count(*) as partner_count from partners

),

account_manager_rows as (

    select count(*) as account_manager_count from account_managers

),

unmatched_rows as (

    select count(*) as unmatched_health_campaign_count
    from unmatched_health_campaigns

),

rejected_rows_count as (

    select count(*) as rejected_row_count
    from rejected_rows
    where source_role in ('breakout', 'health')

),

final as (

    select
        cast(
            '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp
        ) as built_at,
        '{{ invocation_id }}' as dbt_invocation_id,
        {{ build_setting("PARTNERS_CODE_VERSION") }} as code_version,
        'dbt-core {{ dbt_version }}' as dbt_version,
        {{ build_setting("PARTNERS_DBT_ADAPTER_VERSION") }}
            as dbt_adapter_version,
        {{ database_engine_version() }} as database_engine_version,
        inputs.as_of_date,
        inputs.breakout_file_name,
        inputs.breakout_file_sha256,
        inputs.health_file_name,
        inputs.health_file_sha256,
        {{ to_count('campaign_rows.campaign_count') }} as campaign_count,
        {{ to_count('advertiser_rows.advertiser_count') }} as advertiser_count,
        {{ to_count('partner_rows.partner_count') }} as partner_count,
        {{ to_count('account_manager_rows.account_manager_count') }}
            as account_manager_count,
        {{ to_count('unmatched_rows.unmatched_health_campaign_count') }}
            as unmatched_health_campaign_count,
        {{ to_count('rejected_rows_count.rejected_row_count') }}
            as rejected_row_count,
        {{ to_count('health_drop_list.health_drop_count') }}
            as health_drop_count,
        health_drop_list.health_drops
    from inputs
    cross join campaign_rows
    cross join advertiser_rows
    cross join partner_rows
    cross join account_manager_rows
    cross join unmatched_rows
    cross join rejected_rows_count
    cross join health_drop_list

)

select * from final
