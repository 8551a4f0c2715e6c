{#
    One budget estimate per roster campaign, with its basis. Precedence:
    actual > history > advertiser > product_default > none (see the
    estimated_budget doc block). Actual budgets are never changed; the product
    default is int_product_typical_budgets (medians of actuals only).
#}

with

campaign_matches as (

    select * from {{ ref('int_campaign_matches') }}

),

budget_history as (

    select * from {{ ref('int_health_budget_history') }}

),

manifest as (

    select * from {{ ref('stg_ingest__files') }}

),

typical_budgets as (

    select * from {{ ref('int_product_typical_budgets') }}

),

current_drop as (

    select as_of_date
    from manifest
    where source_role = 'health'

),

last_known_budgets as (

    select
        budget_history.campaign_key,
        budget_history.campaign_budget,
        row_number() over (
            partition by budget_history.campaign_key
            order by budget_history.as_of_date desc
        ) as recency
    from budget_history
    inner join current_drop
        on budget_history.as_of_date < current_drop.as_of_date

),

unmatched_health_advertisers as (

    select
        health_maid_key as maid_key,
        sum(campaign_budget) as advertiser_budget
    from campaign_matches
    where is_unmatched_health and health_maid_key is not null
    group by 1

),

campaign_bases as (

    select
        campaign_matches.campaign_id,
        campaign_matches.maid_key,
        campaign_matches.is_tunable,
        campaign_matches.campaign_budget as actual_budget,
        last_known_budgets.campaign_budget as history_budget,
        typical_budgets.typical_budget as default_budget
    from campaign_matches
    left join last_known_budgets
        on
            campaign_matches.campaign_key = last_known_budgets.campaign_key
            and last_known_budgets.recency = 1
    left join typical_budgets
        on campaign_matches.product_type = typical_budgets.product_type
    where campaign_matches.has_roster_data

),

advertiser_shares as (

    {#- split in whole cents, rounded down: exact on every engine (DuckDB
        divides decimals in floating point, Spark exactly) -#}
    select
        campaign_bases.campaign_id,
        floor(
            cast(unmatched_health_advertisers.advertiser_budget * 100 as bigint)
            / count(*) over (partition by campaign_bases.maid_key)
        ) / 100 as advertiser_share
    from campaign_bases
    inner join unmatched_health_advertisers
        on campaign_bases.maid_key = unmatched_health_advertisers.maid_key
    where
        campaign_bases.actual_budget is null
        and campaign_bases.history_budget is null
        and campaign_bases.is_tunable

),

estimates as (

    select
        campaign_bases.campaign_id,
        case
            when campaign_bases.actual_budget is not null then 'actual'
            when campaign_bases.history_budget is not null then 'history'
            when advertiser_shares.advertiser_share is not null
                then 'advertiser'
            when campaign_bases.default_budget is not null
                then 'product_default'
            else 'none'
        end as budget_source,
        cast(
            round(
                coalesce(
                    campaign_bases.actual_budget,
                    campaign_bases.history_budget,
                    advertiser_shares.advertiser_share,
                    campaign_bases.default_budget,
                    0
                ),
                2
            ) as decimal(18, 2)
        ) as known_and_estimated_budget
    from campaign_bases
    left join advertiser_shares
        on campaign_bases.campaign_id = advertiser_shares.campaign_id

)

select * from estimates
