with

source as (

    select * from {{ ref('raw_partners_builds') }}

),

renamed as (

    select

        ---------- strings
        build_stamp,

        ---------- numerics
        cast(campaign_count as integer) as campaign_count,
        cast(advertiser_count as integer) as advertiser_count,
        cast(health_campaign_count as integer) as health_campaign_count,
        cast(matched_health_campaign_count as integer)
            as matched_health_campaign_count,
        cast(known_budget as decimal(18, 2)) as known_budget,
        cast(unmatched_health_budget as decimal(18, 2))
            as unmatched_health_budget,
        cast(rejected_row_count as integer) as rejected_row_count,

        ---------- dates
        cast(built_at as timestamp) as built_at

    from source

)

select * from renamed
