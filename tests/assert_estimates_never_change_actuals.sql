{#
    Returns 0 rows when every campaign with health data keeps its actual
    budget as its estimate (source 'actual'), and no campaign without health
    data claims an actual, and known + estimated = known + estimated-only on
    every campaign.
#}

select
    campaign_id,
    has_health_data,
    campaign_budget,
    known_and_estimated_budget,
    estimated_only_budget,
    budget_source
from {{ ref('campaigns') }}
where
    (
        has_health_data
        and (
            budget_source != 'actual'
            or known_and_estimated_budget != campaign_budget
        )
    )
    or (not has_health_data and budget_source = 'actual')
    or known_and_estimated_budget
    != campaign_budget + estimated_only_budget
