with

source as (

    select * from {{ ref('raw_health_budget_history') }}

),

renamed as (

    select

        ---------- ids
        campaign_id,
        {{ empty_as_null('maid') }} as maid,

        ---------- strings
        {{ empty_as_null('am') }} as am,

        ---------- numerics
        cast(campaign_budget as decimal(18, 2)) as campaign_budget,

        ---------- dates
        cast(as_of_date as date) as as_of_date

    from source

)

select * from renamed
