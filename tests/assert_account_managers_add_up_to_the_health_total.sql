{#
    Returns 0 rows when the account managers' budgets add up to the whole
    Health total (every loaded Health campaign, in the roster or not), and
    their campaigns to every Health campaign.
#}

with

account_manager_totals as (

    select
        sum(health_budget) as health_budget,
        sum(campaign_count) as campaign_count
    from {{ ref('account_managers') }}

),

health_totals as (

    select
        sum(campaign_budget) as known_budget,
        count(*) as campaign_count
    from {{ ref('int_health_campaigns') }}

)

select
    account_manager_totals.health_budget as account_managers_budget,
    health_totals.known_budget as health_budget,
    account_manager_totals.campaign_count as account_managers_campaigns,
    health_totals.campaign_count as health_campaigns
from account_manager_totals
cross join health_totals
where
    account_manager_totals.health_budget != health_totals.known_budget
    or account_manager_totals.campaign_count != health_totals.campaign_count
