with

source as (

    select * from {{ ref('raw_breakout_campaigns') }}

),

renamed as (

    select

        ---------- ids
        campaign_id,
        maid,

        ---------- strings
        {{ empty_as_null('campaign_name') }} as campaign_name,
        {{ empty_as_null('advertiser_name') }} as advertiser_name,
        trim(partner_name) as partner_name,
        trim(product_type) as source_product_type,
        {{ empty_as_null('campaign_status') }} as campaign_status,

        ---------- numerics
        cast(source_row as integer) as source_row_number,

        ---------- dates
        try_cast({{ empty_as_null('start_date') }} as date) as start_date

    from source

)

select * from renamed
