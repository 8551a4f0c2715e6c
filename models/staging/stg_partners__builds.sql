with

source as (

    select * from {{ ref('raw_partners_builds') }}

),

renamed as (

    select

        ---------- strings
        build_stamp,

        ---------- numerics
        {{ to_count('campaign_count') }} as campaign_count,
        {{ to_count('advertiser_count') }} as advertiser_count,
        {{ to_count('health_campaign_count') }} as health_campaign_count,
        {{ to_count('matched_health_campaign_count') }}
            as matched_health_campaign_count,
        {{ to_money('known_budget') }} as known_budget,
        {{ to_money('unmatched_health_budget') }} as unmatched_health_budget,
        {{ to_count('rejected_row_count') }} as rejected_row_count,

        ---------- dates
        cast(built_at as timestamp) as built_at

    from source

)

select * from renamed
