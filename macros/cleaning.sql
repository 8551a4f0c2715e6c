{#- Described in macros/cleaning.yml. -#}
{% macro raw_cell(column) -%}
    {{ return(adapter.dispatch('raw_cell', 'partners')(column)) }}
{%- endmacro %}

{% macro default__raw_cell(column) -%}
    nullif({{ column }}, '')
{%- endmacro %}

{% macro spark__raw_cell(column) -%}
    nullif(nullif({{ column }}, ''), 'None')
{%- endmacro %}

{% macro nfc(expression) -%}
    {{ return(adapter.dispatch('nfc', 'partners')(expression)) }}
{%- endmacro %}

{% macro default__nfc(expression) -%}
    nfc_normalize({{ expression }})
{%- endmacro %}

{% macro spark__nfc(expression) -%}
    {{ expression }}
{%- endmacro %}

{% macro clean_text(column) -%}
    {%- set invisible = '[\\x{200B}\\x{200C}\\x{200D}\\x{2060}\\x{FEFF}\\x{00AD}]' -%}
    {%- set spaces = '[\\t\\n\\r\\x0B\\x0C\\x{00A0}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000} ]+' -%}
    {%- set text = partners.nfc(partners.raw_cell(column)) -%}
    case
        when upper(trim({{ partners.raw_cell(column) }})) = 'NULL' then null
        when {{ partners.regex_matches(text,
            '[\\x{200B}\\x{200C}\\x{200D}\\x{2060}\\x{FEFF}\\x{00AD}\\t\\n\\r\\x0B\\x0C\\x{00A0}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}]|  |^ | $'
        ) }}
            then nullif(trim({{ partners.regex_replace_all(
                partners.regex_replace_all(text, invisible, ''), spaces, ' '
            ) }}), '')
        else nullif({{ text }}, '')
    end
{%- endmacro %}

{% macro has_cell_type(column, kinds) -%}
    (
    {%- for kind in kinds %}
        (
            contains(coalesce(cell_types, ''), '{{ column }}={{ kind }}')
            and (';' || cell_types || ';') like '%;{{ column }}={{ kind }};%'
        )
        {%- if not loop.last %} or {% endif %}
    {%- endfor %}
    )
{%- endmacro %}

{% macro is_excel_error(text) -%}
    upper({{ text }}) in (
        '#N/A', '#REF!', '#DIV/0!', '#VALUE!', '#NAME?', '#NUM!', '#NULL!',
        '#SPILL!', '#CALC!', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!',
        '#UNKNOWN!', '#GETTING_DATA', '#ERROR'
    )
{%- endmacro %}

{% macro text_problem(text) -%}
    case
        when {{ text }} is null then null
        when {{ partners.is_excel_error(text) }} then 'excel-error'
        when {{ partners.regex_matches(text,
            '[\\x00-\\x08\\x0E-\\x1F\\x7F-\\x9F\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]'
        ) }} then 'control-characters'
        when length({{ text }}) > 1000 then 'too-long'
    end
{%- endmacro %}

{% macro raw_and_text_columns(columns) -%}
    {%- for column in columns %}
        {{ raw_cell(column) }} as {{ column }}_raw,
        {{ clean_text(column) }} as {{ column }}_text
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{% macro cleared_columns(source_role) -%}
    {{ return({
        'breakout': ['campaign_name', 'advertiser_name', 'campaign_status', 'start_date'],
        'health': ['campaign_name', 'maid', 'advertiser_name', 'am', 'utilization'],
        'health_history': [],
    }[source_role]) }}
{%- endmacro %}

{% macro source_row_text(columns, source_role) -%}
    case
        when coalesce(
            reject_reason
            {%- for column in partners.cleared_columns(source_role) -%}
                , {{ column }}_problem
            {%- endfor -%}
        ) is not null then concat_ws(
            ' | ',
            {%- for column in columns %}
                '{{ column }}=' || {{ column }}_raw
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        )
    end
{%- endmacro %}

{% macro text_value_columns(columns) -%}
    {%- for column in columns %}
        case
            when {{ partners.text_problem(column ~ '_text') }} is null
                then {{ column }}_text
        end as {{ column }}_value,
        {{ partners.text_problem(column ~ '_text') }} as {{ column }}_problem
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{# ------------------------------------------------------------------ IDs #}

{% macro clean_id(text, column) -%}
    case
        when {{ partners.id_problem(text, column) }} is not null then null
        when {{ partners.has_cell_type(column, ['date']) }}
            then cast({{ dbt.datediff("cast('1899-12-30' as date)",
                "cast(" ~ text ~ " as date)", 'day') }}
                {#- Excel's serials count a 1900-02-29 that never was -#}
                - case when {{ text }} < '1900-03-01' then 1 else 0 end
                as string)
        when {{ partners.regex_matches(text, '^[0-9]+[.]0+$') }}
            then split_part({{ text }}, '.', 1)
        else {{ text }}
    end
{%- endmacro %}

{% macro id_problem(text, column) -%}
    case
        when {{ text }} is null then null
        when {{ partners.is_excel_error(text) }} then 'excel-error'
        when {{ partners.has_cell_type(column, ['boolean', 'time', 'datetime', 'error']) }}
            then 'invalid-id'
        when {{ partners.has_cell_type(column, ['date']) }}
            and {{ partners.regex_matches(text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') }}
            and try_cast({{ text }} as date) is not null
            then null
        when {{ partners.has_cell_type(column, ['date']) }} then 'invalid-id'
        when {{ partners.regex_matches(text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') }}
            then 'date-like-id'
        when {{ partners.regex_matches(text, '^[0-9]+[.]0+$') }} then null
        when {{ partners.regex_matches(text, '^[A-Za-z0-9][A-Za-z0-9_-]*$') }}
            then null
        else 'invalid-id'
    end
{%- endmacro %}

{% macro id_key(id) -%}
    case
        when {{ partners.regex_matches(id, '^[0-9]+$') }}
            then coalesce(
                nullif({{ partners.regex_replace_all(id, '^0+', '') }}, ''), '0'
            )
        else {{ id }}
    end
{%- endmacro %}

{# ---------------------------------------------------------------- money #}

{% macro dollar_amount_pattern() -%}
    {{ return('^([(]?)(-?)(US[$]|USD|[$])?(-?)([0-9][0-9.,]*|[0-9]*[.][0-9]+|[0-9]+([.][0-9]+)?E[+-]?[0-9]+|INF|INFINITY|NAN)(US[$]|USD|[$])?([)]?)$') }}
{%- endmacro %}

{% macro compact_amount_text(text) -%}
    case
        when upper(replace({{ text }}, ' ', '')) in (
            {%- for dash in ['-', '–', '—'] -%}
                {%- for currency in ['', '$', 'US$', 'USD'] %}
            '{{ currency }}{{ dash }}', '{{ dash }}{{ currency }}'
                    {%- if not loop.last %},{% endif -%}
                {%- endfor -%}
                {%- if not loop.last %},{% endif -%}
            {%- endfor %}
        )
            then '0'
        else upper(replace({{ text }}, ' ', ''))
    end
{%- endmacro %}

{% macro money_number_text(text) -%}
    {%- set body = partners.regex_extract(partners.compact_amount_text(text), partners.dollar_amount_pattern(), 5) -%}
    case
        when not {{ partners.regex_matches(partners.compact_amount_text(text), partners.dollar_amount_pattern()) }}
            then null
        when {{ partners.regex_matches(body, '^[1-9][0-9]{0,2}[.][0-9]{3}$') }}
            then null
        when {{ partners.regex_matches(body,
            '^[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?$|^[0-9]+([.][0-9]+)?$|^[0-9]*[.][0-9]+$'
        ) }}
            then replace({{ body }}, ',', '')
        when {{ partners.regex_matches(body,
            '^[0-9]{1,3}([.][0-9]{3})+(,[0-9]{1,2})?$|^[0-9]+,[0-9]{1,2}$'
        ) }}
            then replace(replace({{ body }}, '.', ''), ',', '.')
        when {{ partners.regex_matches(body, '^[0-9]+([.][0-9]+)?E[+-]?[0-9]+$') }}
            then {{ body }}
    end
{%- endmacro %}

{% macro money_double(text, number) -%}
    {%- set compact = partners.compact_amount_text(text) -%}
    (
        case
            when {{ partners.regex_matches(compact, '^[(].*[)]$') }}
                <> {{ partners.regex_matches(compact, '^[(]?(US[$]|USD|[$])?-') }}
                then -1
            else 1
        end
        * try_cast({{ number }} as double)
    )
{%- endmacro %}

{% macro money_problem(text, column, number, amount) -%}
    {%- set compact = partners.compact_amount_text(text) -%}
    {%- set body = partners.regex_extract(compact, partners.dollar_amount_pattern(), 5) -%}
    case
        when {{ text }} is null then null
        when {{ partners.is_excel_error(text) }} then 'excel-error'
        when {{ partners.has_cell_type(column, ['boolean', 'date', 'datetime', 'time']) }}
            then 'invalid-money'
        when not {{ partners.regex_matches(compact, partners.dollar_amount_pattern()) }}
            or {{ partners.regex_extract(compact, partners.dollar_amount_pattern(), 1) }}
            <> replace({{ partners.regex_extract(compact, partners.dollar_amount_pattern(), 8) }}, ')', '(')
            then case
                when {{ partners.regex_matches(compact,
                    '[\\x{20AC}\\x{00A3}\\x{00A5}\\x{20A9}\\x{20B9}\\x{FFE5}]|^[(-]?[A-Z]{1,3}[$]?-?[0-9.,]+[)]?$|^[(-]?[0-9.,]+[A-Z]{3}[)]?$'
                ) }} then 'non-dollar-currency'
                else 'invalid-money'
            end
        when {{ body }} = 'NAN' then 'invalid-money'
        when {{ body }} in ('INF', 'INFINITY') then 'implausible-money'
        when {{ partners.regex_matches(body, '^[1-9][0-9]{0,2}[.][0-9]{3}$') }}
            then 'ambiguous-money'
        when {{ number }} is null then 'invalid-money'
        when {{ amount }} < 0 then 'negative-money'
        when {{ amount }} > 10000000 then 'implausible-money'
        when abs({{ amount }} * 100 - round({{ amount }} * 100)) > 0.000001
            then 'too-many-decimals'
    end
{%- endmacro %}

{% macro money_decimal(amount, problem) -%}
    case when {{ problem }} is null then {{ partners.to_money(
        'round(' ~ amount ~ ', 2)'
    ) }} end
{%- endmacro %}

{# ---------------------------------------------------------- percentages #}

{% macro percent_fraction(text) -%}
    case
        when {{ partners.regex_matches(partners.compact_amount_text(text),
            '^-?[0-9]+([.][0-9]+)?%$') }}
            then try_cast(
                replace({{ partners.compact_amount_text(text) }}, '%', '') as double
            ) / 100
        when {{ partners.regex_matches(partners.compact_amount_text(text),
            '^-?[0-9]+([.][0-9]+)?(E[+-]?[0-9]+)?$') }}
            then try_cast({{ partners.compact_amount_text(text) }} as double)
    end
{%- endmacro %}

{% macro percent_problem(text, column, fraction) -%}
    case
        when {{ text }} is null then null
        when {{ partners.is_excel_error(text) }} then 'excel-error'
        when {{ partners.has_cell_type(column, ['boolean', 'date', 'datetime', 'time']) }}
            then 'invalid-percent'
        when {{ fraction }} is null then 'invalid-percent'
        when abs({{ fraction }}) > 5 then 'implausible-percent'
    end
{%- endmacro %}

{% macro percent_decimal(fraction, problem) -%}
    case when {{ problem }} is null then {{ partners.to_share(fraction) }} end
{%- endmacro %}

{# ---------------------------------------------------------------- dates #}

{% macro slash_date_part(text, part) -%}
    try_cast({{ partners.regex_extract(text,
        '^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$', part) }} as integer)
{%- endmacro %}

{% macro day_first_date_flag(text) -%}
    case when {{ partners.slash_date_part(text, 1) }} > 12 then 1 else 0 end
{%- endmacro %}

{% macro month_first_date_flag(text) -%}
    case when {{ partners.slash_date_part(text, 2) }} > 12 then 1 else 0 end
{%- endmacro %}

{% macro parse_date(text, column, day_first, month_first) -%}
    {%- set a = partners.slash_date_part(text, 1) -%}
    {%- set b = partners.slash_date_part(text, 2) -%}
    {%- set y = partners.slash_date_part(text, 3) -%}
    {%- set iso = '^([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})([T ][0-9:.]+)?$' -%}
    case
        when {{ text }} is null then null
        when {{ partners.has_cell_type(column, ['boolean', 'time', 'error']) }}
            then null
        when {{ partners.has_cell_type(column, ['number']) }}
            then case
                when try_cast({{ text }} as double) between 36526 and 73051
                    then cast({{ dbt.dateadd('day',
                        'cast(floor(try_cast(' ~ text ~ ' as double)) as integer)',
                        "cast('1899-12-30' as date)") }} as date)
            end
        when {{ partners.regex_matches(text, iso) }}
            then {{ partners.date_from_parts(
                partners.regex_extract(text, iso, 1),
                partners.regex_extract(text, iso, 2),
                partners.regex_extract(text, iso, 3)) }}
        when {{ a }} > 12 or ({{ b }} <= 12 and {{ day_first }} = 1 and {{ month_first }} = 0)
            then {{ partners.date_from_parts(y, b, a) }}
        when {{ b }} > 12 or {{ a }} = {{ b }} or ({{ month_first }} = 1 and {{ day_first }} = 0)
            then {{ partners.date_from_parts(y, a, b) }}
    end
{%- endmacro %}

{% macro date_from_parts(year, month, day) -%}
    try_cast(
        cast({{ year }} as string) || '-'
        || lpad(cast(cast({{ month }} as integer) as string), 2, '0') || '-'
        || lpad(cast(cast({{ day }} as integer) as string), 2, '0')
        as date
    )
{%- endmacro %}

{% macro date_problem(text, column, day_first, month_first) -%}
    case
        when {{ text }} is null then null
        when {{ partners.is_excel_error(text) }} then 'excel-error'
        when {{ partners.parse_date(text, column, day_first, month_first) }} is not null
            then null
        when {{ partners.slash_date_part(text, 3) }} is not null
            and {{ partners.slash_date_part(text, 1) }} <= 12
            and {{ partners.slash_date_part(text, 2) }} <= 12
            then 'ambiguous-date'
        else 'invalid-date'
    end
{%- endmacro %}

{# ------------------------------------------------------------ total rows #}

{% macro is_total_label(text) -%}
    coalesce(
        lower({{ text }}) like '%total%'
        and {{ partners.regex_matches('lower(' ~ text ~ ')',
            '^(grand +)?(sub *)?totals?([^a-z0-9_]|$)') }},
        false
    )
{%- endmacro %}

{% macro is_total_row(columns) -%}
    (
        {{ partners.has_cell_type('row', ['total-row']) }}
        or (
            (
                campaign_id_text is null
                or {{ partners.is_total_label('campaign_id_text') }}
            )
            and (
                {%- for column in columns %}
                    {{ partners.is_total_label(column ~ '_text') }}
                    {%- if not loop.last %} or{% endif %}
                {%- endfor %}
            )
        )
    )
{%- endmacro %}
