with

source as (

    select * from {{ ref('raw_health_campaigns') }}

),

renamed as (

    select

        ---------- ids
        campaign_id,
        {{ empty_as_null('maid') }} as maid,

        ---------- strings
        {{ empty_as_null('campaign_name') }} as campaign_name,
        {{ empty_as_null('advertiser_name') }} as advertiser_name,
        {{ empty_as_null('am') }} as am,

        ---------- numerics
        cast(campaign_budget as decimal(18, 2)) as campaign_budget,
        cast(
            {{ empty_as_null('utilization') }} as decimal(9, 4)
        ) as utilization,
        cast(source_row as integer) as source_row_number

    from source

)

select * from renamed
