"""The classifier the platform answers with, and its retraining on the live catalogue.

Until staff retrain it, the classifier is the one trained on the shipped examples and the
demo catalogue. Retraining (`passerelle train-classifier`, or the button in the staff
space) fits it on the examples plus the published catalogue and keeps the result in the
data directory, so that it survives restarts and every process serving the same data
directory picks it up at its next request (a file-time check, no reload otherwise).
The file is written by the platform itself and read only from its own data directory.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
from pathlib import Path

from sqlalchemy.orm import Session

from services_catalog.classify import Classifier

MODEL_FILE = "classifier.pickle"


class ClassifierStore:
    """One per process: loads the classifier once and again only when its file changes."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / MODEL_FILE
        self._lock = threading.Lock()
        self._classifier: Classifier | None = None
        self._loaded_version: int | None = None

    def _version(self) -> int | None:
        try:
            return self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def current(self) -> Classifier:
        """The latest retrained classifier, or the shipped one if none was saved."""
        version = self._version()
        with self._lock:
            if self._classifier is None or version != self._loaded_version:
                if version is None:
                    self._classifier = Classifier.default()
                else:
                    self._classifier = pickle.loads(self.path.read_bytes())
                self._loaded_version = version
            return self._classifier

    def retrain(self, session: Session) -> Classifier:
        """Fit on the examples and the published catalogue, save, and serve it from now on."""
        classifier = Classifier.from_catalogue(session)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target then renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(classifier, out)
        os.replace(temporary, self.path)
        with self._lock:
            self._classifier, self._loaded_version = classifier, self._version()
        return classifier
