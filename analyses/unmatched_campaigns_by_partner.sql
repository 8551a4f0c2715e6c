-- Health campaigns missing from the roster, by the partner that owns their
-- advertiser (partner_attribution says how the partner was chosen); a null
-- partner is an advertiser the roster does not know.
select
    partner_name,
    partner_attribution,
    count(*) as unmatched_health_campaign_count,
    sum(campaign_budget) as unmatched_health_budget
from {{ ref('unmatched_health_campaigns') }}
group by partner_name, partner_attribution
order by unmatched_health_budget desc, partner_name asc nulls last;
