"""The main job: ``python scripts/partners`` or ``python -m partners``
(``make partners``); see partners.cli."""

import sys
from pathlib import Path

if not __package__:  # run as a folder: the package's parent is the import root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from partners.cli import main

sys.exit(main())
