{#
    The drift warnings of this build against the last published build
    (build_drift), as the banner at the head of partners.html shows them, in
    the order of the figures; no row when nothing drifted.
#}

with

build_drift as (

    select * from {{ ref('build_drift') }}

),

drifts as (

    select
        figure,
        drift_warning,
        figure_order as sort_order
    from build_drift
    where is_drift

)

select * from drifts
