{#
    The status rule of the live-only measures: a campaign is live when its
    roster status is 'Active' (any case, surrounding spaces ignored). Ended,
    Paused, blank and any other status are not live. Never null.
#}
{% macro is_live_status(column) -%}
    coalesce(lower(trim({{ column }})) = 'active', false)
{%- endmacro %}
