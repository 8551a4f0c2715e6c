"""The partners pipeline's main job, one module per concern.

- ``project``: where things live, and what "the project" is;
- ``pipeline``: the run, stage by stage (lock, inputs, stamp, conversion);
- ``raw_load``: the converted CSVs into the raw tables;
- ``build``: dbt build with its parse-cache policy, and the docs page;
- ``checks``: the run-level checks dbt made, read (rejected files, match rate, drift);
- ``run_history``: the build history (one row per published build);
- ``publish``: the all-or-nothing publish;
- ``cli``: the command line (``python -m partners``).
"""
