{#
    One row per Health drop in the warehouse (stg_health__campaigns: this
    run's Health file and every earlier drop of the history store), and
    whether it is the current drop: this run's Health file, the as-of date
    and file name stg_ingest__files gives it. The one place that says which
    drop is current; the models that read one drop join here.
#}

with

health as (

    select * from {{ ref('stg_health__campaigns') }}

),

files as (

    select * from {{ ref('stg_ingest__files') }}

),

drops as (

    select distinct
        as_of_date,
        source_file,
        drop_sha256
    from health

),

current_drops as (

    select distinct
        as_of_date,
        file_name
    from files
    where source_role = 'health'

),

drops_flagged as (

    select
        drops.as_of_date,
        drops.source_file,
        drops.drop_sha256,
        current_drops.file_name is not null as is_current_drop
    from drops
    left join current_drops
        on
            drops.as_of_date = current_drops.as_of_date
            and drops.source_file = current_drops.file_name

)

select * from drops_flagged
