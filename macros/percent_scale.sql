{#
    Which scale a bare utilization number is on: a number without '%' is a
    fraction (0.85, what an 85%-formatted cell holds) or a percent (85). The
    file decides, as for slash dates: a bare number over 1.5 is percent
    evidence, a bare non-whole number up to 1.5 is fraction evidence, and a
    value is read on the scale its file's OTHER values show (its own value
    is no evidence). A bare number over 1.5 without percent evidence is not
    read (implausible-percent: 4 is no longer 400%); up to 1.5 it stays a
    fraction unless the file's other values are percents. A negative
    utilization is not read (negative-percent).
#}

{#- The two evidence counts over the file (window columns). -#}
{% macro percent_scale_evidence(text, fraction, partition) -%}
    sum(
        case
            when {{ partners.is_bare_percent(text, fraction) }}
                and {{ fraction }} > 1.5 then 1
            else 0
        end
    ) over (partition by {{ partition }}) as utilization_percent_evidence,
    sum(
        case
            when {{ partners.is_bare_percent(text, fraction) }}
                and {{ fraction }} > 0 and {{ fraction }} <= 1.5
                and {{ fraction }} != floor({{ fraction }}) then 1
            else 0
        end
    ) over (partition by {{ partition }}) as utilization_fraction_evidence
{%- endmacro %}

{#- A number written without '%' (percent_double read it). -#}
{% macro is_bare_percent(text, fraction) -%}
    ({{ fraction }} is not null and not contains({{ text }}, '%'))
{%- endmacro %}

{#- True when the file's other bare numbers are percents (and none a
    fraction). -#}
{% macro is_percent_scale(text, fraction) -%}
    (
        utilization_percent_evidence
        - case when {{ fraction }} > 1.5 then 1 else 0 end > 0
        and utilization_fraction_evidence
        - case
            when {{ fraction }} > 0 and {{ fraction }} <= 1.5
                and {{ fraction }} != floor({{ fraction }}) then 1
            else 0
        end = 0
    )
{%- endmacro %}

{#- The utilization as a fraction, on its file's scale. -#}
{% macro percent_on_scale(text, fraction) -%}
    case
        when {{ partners.is_bare_percent(text, fraction) }}
            and {{ partners.is_percent_scale(text, fraction) }}
            then {{ fraction }} / 100
        else {{ fraction }}
    end
{%- endmacro %}

{#- negative-percent, or implausible-percent for a bare number over 1.5 whose
    file does not say percent; `fraction` as percent_double read it. -#}
{% macro percent_scale_problem(text, fraction) -%}
    case
        when {{ fraction }} < 0 then 'negative-percent'
        when {{ partners.is_bare_percent(text, fraction) }}
            and {{ fraction }} > 1.5
            and not {{ partners.is_percent_scale(text, fraction) }}
            then 'implausible-percent'
    end
{%- endmacro %}
