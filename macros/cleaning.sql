{#
    The cleaning rules of the staging models, one small macro per rule, shared
    by the roster, the Health campaigns and the Health budget history. Each
    takes the raw seed column (the workbook's text, as the raw_cell_text doc
    block of models/_docs.md says) or the text clean_text made of it, and
    gives either a value or a problem code (null when there is none).
    README "Cleaning rules" lists where each rule lives; each staging model's properties file
    has a unit test per rule.
#}

{#- A raw seed cell, null when empty (dbt-spark's seed loader writes an empty
    cell as the text 'None'). -#}
{% macro raw_cell(column) -%}
    {{ return(adapter.dispatch('raw_cell', 'partners')(column)) }}
{%- endmacro %}

{% macro default__raw_cell(column) -%}
    nullif({{ column }}, '')
{%- endmacro %}

{% macro spark__raw_cell(column) -%}
    nullif(nullif({{ column }}, ''), 'None')
{%- endmacro %}

{#- Unicode NFC (composed) form. Spark SQL has no normalization function: text
    there is kept as the file wrote it (exports are NFC in practice). -#}
{% macro nfc(expression) -%}
    {{ return(adapter.dispatch('nfc', 'partners')(expression)) }}
{%- endmacro %}

{% macro default__nfc(expression) -%}
    nfc_normalize({{ expression }})
{%- endmacro %}

{% macro spark__nfc(expression) -%}
    {{ expression }}
{%- endmacro %}

{#- The cell's text trimmed, runs of spaces of any kind collapsed into one,
    invisible characters removed, in NFC; null when nothing is left or the
    cell says NULL / null (a database export's missing value). The regular
    expressions only run on the rare values that need them (one cheap match
    decides), so that a million clean rows stay fast. -#}
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

{#- True when a cell was stored as one of these kinds (number, date, datetime,
    time, boolean, error), per the raw seed's cell_types column (a plain
    substring test first: the exact match only runs on the few rows it lets
    through). -#}
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

{#- True for an Excel error value, as a typed error cell or as text (CSV). -#}
{% macro is_excel_error(text) -%}
    upper({{ text }}) in (
        '#N/A', '#REF!', '#DIV/0!', '#VALUE!', '#NAME?', '#NUM!', '#NULL!',
        '#SPILL!', '#CALC!', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!',
        '#UNKNOWN!', '#GETTING_DATA', '#ERROR'
    )
{%- endmacro %}

{#- A text value's problem: an Excel error, control or bidi-override
    characters (which can reorder what a reader sees), or over 1,000
    characters. -#}
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

{#- The select list every cleaning staging model starts from: for each raw
    column, the cell as written (`<column>_raw`, null when empty) and its
    cleaned text (`<column>_text`). -#}
{% macro raw_and_text_columns(columns) -%}
    {%- for column in columns %}
        {{ raw_cell(column) }} as {{ column }}_raw,
        {{ clean_text(column) }} as {{ column }}_text
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- The optional columns of each source whose value a row can have cleared
    (`<column>_problem` set, the row still loaded): rejected_rows lists them,
    and the staging models keep the row's text for them. Of the earlier
    Health drops (health_history) only the rejected rows are listed. -#}
{% macro cleared_columns(source_role) -%}
    {{ return({
        'breakout': ['campaign_name', 'advertiser_name', 'campaign_status', 'start_date'],
        'health': ['campaign_name', 'maid', 'advertiser_name', 'am', 'utilization'],
        'health_history': [],
    }[source_role]) }}
{%- endmacro %}

{#- The whole source row as text ("campaign_id=1001 | maid=500 | ..."), from
    the `<column>_raw` cells, so a row rejected_rows lists can be read as the
    file held it: only on a rejected row or one with a value of
    cleared_columns(source_role) cleared, null on the others (the raw table
    holds their text; carried on every row, this wide column weighed on the
    staging windows and writes). -#}
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

{#- For each text column: `<column>_value`, its cleaned text or null when
    text_problem finds one, and `<column>_problem`. -#}
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

{#- An ID as canonical text: '12345', '12345.0' and a number cell all give
    '12345'; text keeps its leading zeros ('00123') and letters ('USA_123');
    a cell typed as a date is read as its Excel number (days since
    1899-12-30, as Excel counts them), never as an ISO date. Null when id_problem finds one. -#}
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

{#- An ID's problem: an Excel error; a boolean, time or date-time cell; text
    reading as an ISO date (date-like-id: a CSV saved from a date-formatted ID
    column); a fraction or anything but letters, digits, '_' and '-'. -#}
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

{#- The key two files match an ID on: an all-digit ID without its leading
    zeros ('0001001' and '1001' are one campaign); other IDs as they are. -#}
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

{#- A dollar amount as written: optional parentheses (accounting negative),
    minus, US$ / USD / $ before or after, and the number (group 5). Applied to
    the upper-cased text without spaces. -#}
{% macro dollar_amount() -%}
    {{ return('^([(]?)(-?)(US[$]|USD|[$])?(-?)([0-9][0-9.,]*|[0-9]*[.][0-9]+|[0-9]+([.][0-9]+)?E[+-]?[0-9]+|INF|INFINITY|NAN)(US[$]|USD|[$])?([)]?)$') }}
{%- endmacro %}

{#- The amount's text upper-cased without spaces; Excel's accounting zero
    ('$ -', '-', an en or em dash, with or without the currency) is '0'. -#}
{% macro money_compact(text) -%}
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

{#- The amount's number as plain decimal text ('1234.50'), or null: US
    (1,234.50) and European (1.234,50) grouping; '1.234' (a thousand, or one
    dollar?) is not read. -#}
{% macro money_number(text) -%}
    {%- set body = partners.regex_extract(partners.money_compact(text), partners.dollar_amount(), 5) -%}
    case
        when not {{ partners.regex_matches(partners.money_compact(text), partners.dollar_amount()) }}
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

{#- The signed amount as a double (null when unreadable), from the text and
    its money_number (computed once, in an earlier step of the model). -#}
{% macro money_amount(text, number) -%}
    {%- set compact = partners.money_compact(text) -%}
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

{#- A monthly budget's problem: an Excel error; a boolean or date cell; a
    currency other than dollars (non-dollar-currency: never summed as
    dollars); '1.234' (ambiguous-money); unreadable text or NaN
    (invalid-money); a negative amount; over $10,000,000 or infinite
    (implausible-money); a fraction of a cent (too-many-decimals). `number`
    and `amount` are the value's money_number and money_amount. -#}
{% macro money_problem(text, column, number, amount) -%}
    {%- set compact = partners.money_compact(text) -%}
    {%- set body = partners.regex_extract(compact, partners.dollar_amount(), 5) -%}
    case
        when {{ text }} is null then null
        when {{ partners.is_excel_error(text) }} then 'excel-error'
        when {{ partners.has_cell_type(column, ['boolean', 'date', 'datetime', 'time']) }}
            then 'invalid-money'
        when not {{ partners.regex_matches(compact, partners.dollar_amount()) }}
            or {{ partners.regex_extract(compact, partners.dollar_amount(), 1) }}
            <> replace({{ partners.regex_extract(compact, partners.dollar_amount(), 8) }}, ')', '(')
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

{#- The amount in dollars, decimal(18, 2); null when there is a problem. -#}
{% macro parse_money(amount, problem) -%}
    case
        when {{ problem }} is null
            then cast(round({{ amount }}, 2) as decimal(18, 2))
    end
{%- endmacro %}

{# ---------------------------------------------------------- percentages #}

{#- Utilization as a fraction (double): '85%' gives 0.85; a number (a cell
    formatted 85% holds 0.85) is taken as the fraction it is. -#}
{% macro percent_double(text) -%}
    case
        when {{ partners.regex_matches(partners.money_compact(text),
            '^-?[0-9]+([.][0-9]+)?%$') }}
            then try_cast(
                replace({{ partners.money_compact(text) }}, '%', '') as double
            ) / 100
        when {{ partners.regex_matches(partners.money_compact(text),
            '^-?[0-9]+([.][0-9]+)?(E[+-]?[0-9]+)?$') }}
            then try_cast({{ partners.money_compact(text) }} as double)
    end
{%- endmacro %}

{#- A utilization's problem: an Excel error; a boolean or date cell or text
    that is no percentage (invalid-percent); beyond -500% .. 500%
    (implausible-percent: a bare 85 meant as 85% lands here rather than being
    read as 8,500%). `fraction` is the value's percent_double. -#}
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

{#- The utilization as decimal(9, 4); null when there is a problem. -#}
{% macro parse_percent(fraction, problem) -%}
    case
        when {{ problem }} is null
            then cast(round({{ fraction }}, 4) as decimal(9, 4))
    end
{%- endmacro %}

{# ---------------------------------------------------------------- dates #}

{#- Slash dates (a/b/yyyy): the first number, the second, and whether the
    first can only be a day (> 12) or the second only a day. -#}
{% macro slash_date_part(text, part) -%}
    try_cast({{ partners.regex_extract(text,
        '^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$', part) }} as integer)
{%- endmacro %}

{#- 1 when this text is a slash date only day/month can read (first number
    over 12), for the file-level evidence window. -#}
{% macro is_day_first_date(text) -%}
    case when {{ partners.slash_date_part(text, 1) }} > 12 then 1 else 0 end
{%- endmacro %}

{#- 1 when this text is a slash date only month/day can read. -#}
{% macro is_month_first_date(text) -%}
    case when {{ partners.slash_date_part(text, 2) }} > 12 then 1 else 0 end
{%- endmacro %}

{#- A date from: a date or date-time cell (ISO text); an Excel serial number
    (a number cell, 2000-01-01 .. 2099-12-31); ISO text (2025-03-01,
    2025/03/01); a slash date a/b/yyyy read by the rule:
    a slash date whose first number is over 12 is day/month, whose second is
    over 12 is month/day; any other (01/03/2025) follows the file's own
    evidence: month/day when the file's slash dates include one only
    month/day can read and none only day/month can, and the reverse;
    without such evidence it is ambiguous and not read (ambiguous-date),
    unless both numbers are equal. day_first / month_first: whether the file
    has such evidence (max of is_day_first_date / is_month_first_date over
    the file). -#}
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

{#- try_cast of y-m-d parts (numbers or text) to a date; null if no such day. -#}
{% macro date_from_parts(year, month, day) -%}
    try_cast(
        cast({{ year }} as string) || '-'
        || lpad(cast(cast({{ month }} as integer) as string), 2, '0') || '-'
        || lpad(cast(cast({{ day }} as integer) as string), 2, '0')
        as date
    )
{%- endmacro %}

{#- A date's problem: an Excel error; a slash date with day and month
    undecidable (ambiguous-date); anything else that parse_date cannot read,
    a serial outside 2000-2099 or a boolean cell (invalid-date). -#}
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

{#- True when a text reads as a totals label: 'Total', 'Grand Total',
    'Subtotal Acme', 'Sub total'. -#}
{% macro is_total_label(text) -%}
    coalesce(
        lower({{ text }}) like '%total%'
        and {{ partners.regex_matches('lower(' ~ text ~ ')',
            '^(grand +)?(sub *)?totals?([^a-z0-9_]|$)') }},
        false
    )
{%- endmacro %}

{#- True for a totals row: the converter marked it (row=total-row in
    cell_types: an Excel table's totals row, a 'Sum' or 'Gesamtergebnis'
    label, a count in the ID cell; scripts/sheet_meaning.py), or its campaign
    ID is blank or a totals label and a cell among `columns` reads as a
    totals label (a row with a campaign ID is a campaign, 'Total Plumbing Co'
    included). -#}
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
