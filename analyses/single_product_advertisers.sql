-- Advertisers holding one product type only with a partner: the first
-- candidates for a second product.
select
    partner_name,
    maid,
    advertiser_name,
    product_types,
    campaign_count,
    known_budget
from {{ ref('partner_advertisers') }}
where product_type_count = 1
order by partner_name asc, known_budget desc, maid asc;
