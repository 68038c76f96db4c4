"""Puts the site's pages and assets inside the `passerelle` package of a built wheel.

They live at the top of the source tree (`templates/`, `static/`), where the editable
install reads them; a wheel carries them as `passerelle/templates` and `passerelle/static`
(`passerelle.web.templating` looks there first). Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SITE_DIRS = ("templates", "static")


class BuildWithSite(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # the editable install reads the source tree itself
        for name in SITE_DIRS:
            target = Path(self.build_lib) / "passerelle" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(name, target)


setup(cmdclass={"build_py": BuildWithSite})
