{#- Described in macros/rejects.yml. -#}
{% macro value_rejects(required) -%}
    {%- set rules = [
        ('is_total_row', "'total-row'", "'campaign_id'"),
        (partners.has_cell_type('row', ['repeated-header']),
            "'repeated-header'", "'campaign_id'"),
    ] -%}
    {%- for column in required -%}
        {%- do rules.append((column ~ '_problem is not null',
            column ~ '_problem', "'" ~ column ~ "'")) -%}
        {%- do rules.append((column ~ '_text is null',
            "'missing-value'", "'" ~ column ~ "'")) -%}
    {%- endfor -%}
    {{ return(rules) }}
{%- endmacro %}

{% macro first_rule(rules, part) -%}
    case
        {%- for rule in rules %}
            when {{ rule[0] }} then {{ rule[1 if part == 'reason' else 2] }}
        {%- endfor %}
    end
{%- endmacro %}

{% macro reject_value(columns) -%}
    case
        {%- for column in columns %}
            when reject_column = '{{ column }}' then {{ column }}_raw
        {%- endfor %}
        when reject_reason = 'duplicate-row' then campaign_id_raw
    end
{%- endmacro %}

{% macro row_reject_message(columns) -%}
    case
        when reject_reason in ('duplicate-row', 'conflicting-duplicate')
            then {{ partners.duplicate_reject_message('reject_reason') }}
        {%- for column in columns %}
            when reject_column = '{{ column }}' then
                {{ partners.reject_message(
                    'reject_reason', "'" ~ column ~ "'", column ~ '_raw'
                ) }}
        {%- endfor %}
    end
{%- endmacro %}

{% macro reject_message(reason, column, raw_value) -%}
    {%- set found = "'found \"' || coalesce(substr(" ~ raw_value ~ ", 1, 80), '') || '\"'" -%}
    case {{ reason }}
        when 'missing-value' then {{ column }} || ' is required, found a blank'
        when 'excel-error' then 'the cell holds the Excel error ' || {{ raw_value }}
        when 'date-like-id' then 'expected an ID, ' || {{ found }} || ', which reads as an ISO date: the ID column was date-formatted when the file was saved; format it as a number and export again'
        when 'invalid-id' then 'expected an ID of letters, digits, _ or - (a whole number), ' || {{ found }}
        when 'non-dollar-currency' then 'expected an amount in dollars, ' || {{ found }} || ': another currency is never summed as dollars'
        when 'ambiguous-money' then 'expected an unambiguous amount, ' || {{ found }} || ': a thousand, or one dollar? Write 1234.00 or 1.23'
        when 'invalid-money' then 'expected an amount such as 1234.50 or $1,234.50, ' || {{ found }}
        when 'negative-money' then 'expected a budget of 0 or more, ' || {{ found }}
        when 'implausible-money' then 'expected a monthly budget up to $10,000,000, ' || {{ found }}
        when 'too-many-decimals' then 'expected whole cents, ' || {{ found }}
        when 'invalid-percent' then 'expected a percentage such as 85% or 0.85, ' || {{ found }}
        when 'implausible-percent' then 'expected a utilization between -500% and 500% (a bare number over 1.5 is read as a percent only where the file''s other values are percents), ' || {{ found }}
        when 'negative-percent' then 'expected a utilization of 0% or more, ' || {{ found }}
        when 'invalid-date' then 'expected a date such as 2025-03-01, ' || {{ found }}
        when 'ambiguous-date' then 'expected a date whose day and month are certain, ' || {{ found }} || ': day/month or month/day? Write 2025-03-01'
        when 'control-characters' then 'expected plain text, found control or bidi-override characters'
        {#- a text the converter cut ends with its length: "[cut by the converter: 32,767 characters]" #}
        when 'too-long' then 'expected at most 1,000 characters, found ' || coalesce(
            nullif(replace({{ partners.regex_extract(raw_value, 'cut by the converter: ([0-9,]+) characters[]]', 1) }}, ',', ''), ''),
            cast(length({{ raw_value }}) as string)
        )
        when 'total-row' then 'a totals row, not a campaign'
        when 'repeated-header' then 'expected a campaign row, found a repeated header row (' || {{ found }} || ' in the ID column): the header of a second pasted block?'
    end
{%- endmacro %}
