"""The on-call engine stays UI-free: importing it pulls in no Textual, Rich, tui or scoring."""

from __future__ import annotations

import subprocess
import sys


def test_simulator_oncall_imports_no_ui() -> None:
    """Importing every on-call module loads none of textual, rich, tui, scoring."""
    code = (
        "import sys, pkgutil, importlib, simulator.oncall as pkg\n"
        "for m in pkgutil.walk_packages(pkg.__path__, 'simulator.oncall.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
        "{'textual', 'rich', 'tui', 'scoring'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
