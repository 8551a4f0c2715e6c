-- Advertisers buying through more than one partner, with what they hold.
select
    maid,
    advertiser_name,
    partner_count,
    partner_names,
    campaign_count,
    live_campaign_count,
    product_types,
    live_product_types,
    known_budget
from {{ ref('advertisers') }}
where partner_count > 1
order by known_budget desc, maid asc;
