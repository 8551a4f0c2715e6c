"""The main job: ``python scripts/partners [options]`` or ``python -m partners``
(``make partners``); see partners.cli. Three of its steps also run alone:

    python scripts/partners convert --breakout ... --health ...  (ingest)
    python scripts/partners dbt [--database PATH] DBT_ARGUMENTS...  (dbt_runner)
    python scripts/partners export [--database PATH] [--output PATH]  (export_html)

The main job holds Ctrl-C and SIGTERM first of all, while it imports (half
a second: a stop raised inside an extension module's import may abort the
process, or be swallowed), and raises one that came meanwhile once it has
imported; a stop at any moment ends with its one line.
"""

import os
import signal
import sys

if not __package__:  # run as a folder: the package's parent is the import root
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: the steps that also run alone, by their command
STEPS = {
    "convert": "partners.ingest",
    "dbt": "partners.dbt_runner",
    "export": "partners.export_html",
}

if len(sys.argv) > 1 and sys.argv[1] in STEPS:
    import importlib

    step = sys.argv.pop(1)
    sys.argv[0] = f"partners {step}"  # argparse's program name
    sys.exit(importlib.import_module(STEPS[step]).main(sys.argv[1:]))
else:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    from partners import stops

    stops.install()  # a stop from here on is raised, and said below
    try:
        try:
            from partners.cli import main
        finally:
            stops.release(None)  # a stop that came while importing is raised
        code = main()
    except KeyboardInterrupt as stop:
        line, code = stops.described(stop)
        print(f"partners: {line}", file=sys.stderr)
    stops.ignore()  # the run has ended: a stop now would only cut its exit short
    stops.keep_exit_code()
    sys.exit(code)
