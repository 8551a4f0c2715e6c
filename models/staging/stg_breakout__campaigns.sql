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
        nullif(trim(campaign_name), '') as campaign_name,
        nullif(trim(advertiser_name), '') as advertiser_name,
        trim(partner_name) as partner_name,
        trim(product_type) as source_product_type,
        nullif(trim(campaign_status), '') as campaign_status,

        ---------- numerics
        cast(source_row as integer) as source_row_number,

        ---------- dates
        try_cast(nullif(start_date, '') as date) as start_date

    from source

)

select * from renamed
