{#- Described in macros/percent_scale.yml. -#}

{% macro percent_scale_evidence(column, partition) -%}
    sum(
        case
            when {{ partners.is_bare_percent(column) }}
                and {{ column }}_read > 1.5 then 1
            else 0
        end
    ) over (partition by {{ partition }}) as {{ column }}_percent_evidence,
    sum(
        case
            when {{ partners.is_bare_percent(column) }}
                and {{ partners.is_fraction_evidence(column ~ '_read') }} then 1
            else 0
        end
    ) over (partition by {{ partition }}) as {{ column }}_fraction_evidence
{%- endmacro %}

{% macro is_fraction_evidence(read) -%}
    ({{ read }} > 0 and {{ read }} <= 1.5 and {{ read }} != floor({{ read }}))
{%- endmacro %}

{% macro is_bare_percent(column) -%}
    ({{ column }}_read is not null and not contains({{ column }}_text, '%'))
{%- endmacro %}

{% macro is_percent_scale(column) -%}
    (
        {{ column }}_percent_evidence
        - case when {{ column }}_read > 1.5 then 1 else 0 end > 0
        and {{ column }}_fraction_evidence = 0
    )
{%- endmacro %}

{% macro percent_on_scale(column) -%}
    case
        when {{ partners.is_bare_percent(column) }}
            and {{ partners.is_percent_scale(column) }}
            then {{ column }}_read / 100
        else {{ column }}_read
    end
{%- endmacro %}

{% macro percent_scale_problem(column) -%}
    case
        when {{ column }}_read < 0 then 'negative-percent'
        when {{ partners.is_bare_percent(column) }}
            and {{ column }}_read > 1.5
            and not {{ partners.is_percent_scale(column) }}
            then 'implausible-percent'
    end
{%- endmacro %}
