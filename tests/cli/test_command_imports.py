"""What the command line loads before it runs a command (contract section 4)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Run in a fresh interpreter: this test process has imported the whole platform.
LOADED_LIBRARIES = textwrap.dedent(
    """
    import sys

    import passerelle.cli

    heavy = {"numpy", "scipy", "sklearn"}
    print(sorted({name.split(".")[0] for name in sys.modules} & heavy))
    """
)


def test_the_command_line_loads_the_matcher_only_for_the_commands_that_use_it():
    # Loading numpy, scipy and scikit-learn added seconds to every command, `passerelle
    # import` included; the catalogue's search index only reads matching's word lists.
    ran = subprocess.run(
        [sys.executable, "-c", LOADED_LIBRARIES], capture_output=True, text=True, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"
