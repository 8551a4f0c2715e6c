"""The main job: ``python scripts/partners [options]`` or ``python -m partners``
(``make partners``); see partners.cli. Three of its steps also run alone:

    python scripts/partners convert --breakout ... --health ...  (ingest)
    python scripts/partners dbt [--database PATH] DBT_ARGUMENTS...  (dbt_runner)
    python scripts/partners export [--database PATH] [--html PATH]  (export_html)
"""

import importlib
import sys
from pathlib import Path

if not __package__:  # run as a folder: the package's parent is the import root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: the steps that also run alone, by their command
STEPS = {
    "convert": "partners.ingest",
    "dbt": "partners.dbt_runner",
    "export": "partners.export_html",
}

if len(sys.argv) > 1 and sys.argv[1] in STEPS:
    step = sys.argv.pop(1)
    sys.argv[0] = f"partners {step}"  # argparse's program name
    sys.exit(importlib.import_module(STEPS[step]).main(sys.argv[1:]))
else:
    from partners.cli import main

    sys.exit(main())
