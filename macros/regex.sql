{#
    Portable regular expressions. DuckDB (RE2) and Spark (Java) read the same
    patterns as long as they use character classes ([0-9], [.]) and \x{hhhh}
    for code points; they differ in how a pattern is written as a literal and
    in the functions' names, which these macros dispatch.
#}

{#- A pattern as a SQL string literal: DuckDB keeps backslashes as written;
    Spark's parser reads backslash escapes in literals, so they are doubled. -#}
{% macro regex_literal(pattern) -%}
    {{ return(adapter.dispatch('regex_literal', 'partners')(pattern)) }}
{%- endmacro %}

{% macro default__regex_literal(pattern) -%}
    '{{ pattern | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__regex_literal(pattern) -%}
    '{{ pattern | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}

{#- True when the text contains a match of the pattern (anchor with ^ $). -#}
{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'partners')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ partners.regex_literal(pattern) }})
{%- endmacro %}

{% macro spark__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike {{ partners.regex_literal(pattern) }})
{%- endmacro %}

{#- Every match of the pattern replaced (DuckDB needs the 'g' flag). -#}
{% macro regex_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'partners')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace(
        {{ expression }}, {{ partners.regex_literal(pattern) }}, '{{ replacement }}', 'g'
    )
{%- endmacro %}

{% macro spark__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace(
        {{ expression }}, {{ partners.regex_literal(pattern) }}, '{{ replacement }}'
    )
{%- endmacro %}

{#- The text of a capture group ('' when the pattern does not match). -#}
{% macro regex_extract(expression, pattern, group) -%}
    regexp_extract({{ expression }}, {{ partners.regex_literal(pattern) }}, {{ group }})
{%- endmacro %}
