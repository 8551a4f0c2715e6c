-- Where is budget data missing? Campaigns without health data, by product type.
select
    product_type,
    count(*) as campaigns_without_budget_data,
    count(distinct maid) as advertisers,
    count(distinct partner_name) as partners
from {{ ref('campaigns') }}
where not has_health_data
group by product_type
order by campaigns_without_budget_data desc, product_type asc;
