"""The development tools, one module each: ``python scripts/tools <tool>
[options]`` (the Makefile's bench, timings, screenshots, test-spark, lint and
sample targets). A tool imports the product's package (``partners``) and the
other tools by name, so both folders are the import roots."""

import runpy
import sys
from pathlib import Path

TOOLS_DIR = Path(__file__).resolve().parent
TOOLS = sorted(path.stem for path in TOOLS_DIR.glob("[!_]*.py"))

if len(sys.argv) < 2 or sys.argv[1] not in TOOLS:
    sys.stderr.write(f"usage: python scripts/tools {{{','.join(TOOLS)}}} [options]\n")
    sys.exit(2)
sys.path[:0] = [str(TOOLS_DIR.parent), str(TOOLS_DIR)]
tool = sys.argv.pop(1)
sys.argv[0] = f"scripts/tools {tool}"
runpy.run_module(tool, run_name="__main__", alter_sys=True)
