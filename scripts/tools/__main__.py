"""The development tools, one module each: ``python scripts/tools <tool>
[options]`` (the Makefile's bench, timings, screenshots, test-spark, lint and
sample targets). A tool imports the product's package (``partners``) and the
other tools by name, so both folders are the import roots."""

import importlib
import sys
from pathlib import Path

TOOLS_DIR = Path(__file__).resolve().parent
#: the runnable tools (workspace and sample_data are modules the others use)
TOOLS = (
    "bench_readers",
    "benchmark",
    "check_docs",
    "generate_sample",
    "report_browser",
    "report_timings",
    "spark_check",
)

if len(sys.argv) < 2 or sys.argv[1] not in TOOLS:
    sys.stderr.write(f"usage: python scripts/tools {{{','.join(TOOLS)}}} [options]\n")
    sys.exit(2)
sys.path[:0] = [str(TOOLS_DIR.parent), str(TOOLS_DIR)]
tool = sys.argv.pop(1)
sys.argv[0] = f"tools {tool}"  # argparse's program name
sys.exit(importlib.import_module(tool).main(sys.argv[1:]))
