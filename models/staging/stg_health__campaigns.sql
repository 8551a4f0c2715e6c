with

source as (

    select * from {{ ref('raw_health_campaigns') }}

),

renamed as (

    select

        ---------- ids
        campaign_id,
        nullif(trim(maid), '') as maid,

        ---------- strings
        nullif(trim(campaign_name), '') as campaign_name,
        nullif(trim(advertiser_name), '') as advertiser_name,
        nullif(trim(am), '') as am,

        ---------- numerics
        cast(campaign_budget as decimal(18, 2)) as campaign_budget,
        cast(nullif(utilization, '') as decimal(9, 4)) as utilization,
        cast(source_row as integer) as source_row_number

    from source

)

select * from renamed
