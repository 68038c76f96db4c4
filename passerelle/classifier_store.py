"""The classifier the platform answers with, and its retraining on the live catalogue.

Until staff retrain it, the classifier is the one trained on the shipped examples and the
demo catalogue. Retraining (`passerelle train-classifier`, or the button in the staff
space) fits it on the examples plus the published catalogue and keeps the result in the
data directory, so that it survives restarts and every process serving the same data
directory picks it up at its next request (a file-time check, no reload otherwise).
The file is written by the platform itself and read only from its own data directory.

A pickled model is only good for the scikit-learn that wrote it, so the file starts with
a one-line header naming that version. A file written by another version, or that does
not load, is never fatal: the model is fitted again on the catalogue (and saved for the
other processes) with a warning, or the shipped classifier answers meanwhile.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import tempfile
import threading
from pathlib import Path

import sklearn
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from passerelle.db import session_scope
from services_catalog.classify import Classifier

MODEL_FILE = "classifier.pickle"
FORMAT = 1

logger = logging.getLogger(__name__)


class UnreadableModel(Exception):
    """The saved model cannot be used by this process."""


def _header() -> bytes:
    return json.dumps({"format": FORMAT, "scikit_learn": sklearn.__version__}).encode() + b"\n"


def _read_model(path: Path) -> Classifier:
    """The classifier saved at `path`; UnreadableModel saying why when it cannot be used."""
    header, _, body = path.read_bytes().partition(b"\n")
    try:
        written = json.loads(header)
    except ValueError:
        raise UnreadableModel("no header naming its scikit-learn version") from None
    if not isinstance(written, dict) or written.get("format") != FORMAT:
        raise UnreadableModel(f"unknown format {header[:40]!r}")
    if written.get("scikit_learn") != sklearn.__version__:
        raise UnreadableModel(
            f"written by scikit-learn {written.get('scikit_learn')}, this is {sklearn.__version__}"
        )
    try:
        classifier = pickle.loads(body)
    except Exception as error:
        raise UnreadableModel(f"{type(error).__name__}: {error}") from None
    if not isinstance(classifier, Classifier):
        raise UnreadableModel(f"holds a {type(classifier).__name__}, not a classifier")
    return classifier


class ClassifierStore:
    """One per process: loads the classifier once and again only when its file changes.

    With an engine, a saved model that cannot be read is fitted again on its catalogue.
    """

    def __init__(self, data_dir: Path, engine: Engine | None = None) -> None:
        self.path = Path(data_dir) / MODEL_FILE
        self._engine = engine
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
                    try:
                        self._classifier = _read_model(self.path)
                    except UnreadableModel as reason:
                        self._classifier = self._replace_unreadable(reason)
                self._loaded_version = self._version()
            return self._classifier

    def _replace_unreadable(self, reason: UnreadableModel) -> Classifier:
        logger.warning("the saved classifier %s cannot be used (%s)", self.path, reason)
        if self._engine is not None:
            try:
                with session_scope(self._engine) as session:
                    classifier = Classifier.from_catalogue(session)
                self._save(classifier)
                logger.warning("the classifier was retrained on the catalogue and saved")
                return classifier
            except Exception:
                logger.warning("retraining the classifier failed", exc_info=True)
        logger.warning("the shipped classifier answers until staff retrain it")
        return Classifier.default()

    def retrain(self, session: Session) -> Classifier:
        """Fit on the examples and the published catalogue, save, and serve it from now on."""
        classifier = Classifier.from_catalogue(session)
        self._save(classifier)
        with self._lock:
            self._classifier, self._loaded_version = classifier, self._version()
        return classifier

    def _save(self, classifier: Classifier) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target then renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(_header())
            pickle.dump(classifier, out)
        os.replace(temporary, self.path)
