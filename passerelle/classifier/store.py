"""The classifier the platform answers with, and its retraining on the live catalogue.

Until staff retrain it, the classifier is the one trained on the shipped examples and the
demo catalogue. Retraining (`passerelle train-classifier`, or the button in the staff
space) fits it on the examples plus the published catalogue and stores the result in the
database (`classifier_model`), written in one transaction, so that it survives restarts
and every process, on every machine, answers with it: each asks at most every second
which model is the latest (one query on the table's key) and loads it only when that
changed. Nothing is read from or written to a data directory. Only the platform writes the
table, and loading a pickle runs code: the database is trusted with it as with the rest.

A pickled model is only good for the scikit-learn that wrote it, so models are stored per
scikit-learn version and a process reads only those of its own. A process that finds none
of its version while another version's exists (after an upgrade), or finds one that does
not load, is never stopped by it: it fits the model again on the catalogue and stores it
for the other processes, with a warning, or answers with the shipped classifier meanwhile.
During a rolling upgrade the processes of either version thus each keep a model of their
own, rather than replacing each other's in turn.
"""

from __future__ import annotations

import logging
import pickle
import threading
from time import monotonic

import sklearn
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from passerelle.classifier.models import StoredClassifier
from passerelle.db import session_scope
from services_catalog.classify import Classifier

FORMAT = 1

logger = logging.getLogger(__name__)


class UnreadableModel(Exception):
    """The stored model cannot be used by this process."""


def _unpickle(format_: int, model: bytes) -> Classifier:
    """The classifier stored as `model`; UnreadableModel saying why when it cannot be used."""
    if format_ != FORMAT:
        raise UnreadableModel(f"unknown format {format_}")
    try:
        classifier = pickle.loads(model)
    except Exception as error:
        raise UnreadableModel(f"{type(error).__name__}: {error}") from None
    if not isinstance(classifier, Classifier):
        raise UnreadableModel(f"holds a {type(classifier).__name__}, not a classifier")
    return classifier


def _of_this_version():
    return StoredClassifier.scikit_learn == sklearn.__version__


class ClassifierStore:
    """One per process: loads the latest stored classifier, and again only when a newer
    one is stored. Its only state is that model and the generation it was stored under."""

    def __init__(self, engine: Engine, *, recheck_seconds: float = 1.0) -> None:
        self._engine = engine
        self._recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._classifier: Classifier | None = None
        self._generation = 0  # of the model held; 0 when none of this version was stored
        self._checked_at = float("-inf")

    def current(self) -> Classifier:
        """The latest retrained classifier, or the shipped one if none was stored."""
        if self._classifier is not None and monotonic() - self._checked_at < self._recheck_seconds:
            return self._classifier
        latest = self.latest_generation()
        with self._lock:
            self._checked_at = monotonic()
            if self._classifier is None or latest != self._generation:
                self._classifier, self._generation = self._load()
            return self._classifier

    def latest_generation(self) -> int:
        """The generation of the latest model stored by this scikit-learn, 0 if none."""
        query = select(func.coalesce(func.max(StoredClassifier.generation), 0))
        with self._engine.connect() as connection:
            return connection.scalar(query.where(_of_this_version()))

    def _load(self) -> tuple[Classifier, int]:
        latest = (
            select(StoredClassifier.generation, StoredClassifier.format, StoredClassifier.model)
            .where(_of_this_version())
            .order_by(StoredClassifier.generation.desc())
            .limit(1)
        )
        any_version = select(StoredClassifier.scikit_learn).limit(1)
        with self._engine.connect() as connection:
            row = connection.execute(latest).first()
            other = None if row else connection.scalar(any_version)
        if row is None and other is None:
            return Classifier.default(), 0
        if row is None:
            this = sklearn.__version__
            return self._replace(0, f"written by scikit-learn {other}, this is {this}")
        try:
            return _unpickle(row.format, row.model), row.generation
        except UnreadableModel as reason:
            return self._replace(row.generation, f"generation {row.generation}: {reason}")

    def _replace(self, generation: int, reason: str) -> tuple[Classifier, int]:
        """Fit the classifier on the catalogue in place of the unusable `generation`."""
        logger.warning("the stored classifier cannot be used (%s)", reason)
        try:
            with session_scope(self._engine) as session:
                classifier = Classifier.from_catalogue(session)
            stored = self._store(classifier, generation + 1, "replacement of an unusable model")
        except Exception:
            logger.warning("retraining the classifier failed", exc_info=True)
            logger.warning("the shipped classifier answers until staff retrain it")
            return Classifier.default(), generation
        if not stored:
            # Another process stored its replacement first: this one answers until the
            # next check loads that one.
            logger.warning("the classifier was retrained on the catalogue")
            return classifier, generation
        logger.warning("the classifier was retrained on the catalogue and stored")
        return classifier, generation + 1

    def retrain(self, session: Session, *, trained_by: str) -> Classifier:
        """Fit on the examples and the published catalogue, store, and serve it from now on."""
        classifier = Classifier.from_catalogue(session)
        generation = self.latest_generation() + 1
        # Each failure means another process stored a model meanwhile; this one, fitted on
        # the catalogue as it is now, goes after it.
        while not self._store(classifier, generation, trained_by):
            generation = self.latest_generation() + 1
        with self._lock:
            self._classifier, self._generation = classifier, generation
            self._checked_at = monotonic()
        return classifier

    def _store(self, classifier: Classifier, generation: int, trained_by: str) -> bool:
        """Store `classifier` as `generation` of this scikit-learn's models, and drop the
        older ones; False, storing nothing, when another process stored that generation."""
        row = StoredClassifier(
            scikit_learn=sklearn.__version__,
            generation=generation,
            format=FORMAT,
            trained_by=trained_by,
            model=pickle.dumps(classifier),
        )
        try:
            with session_scope(self._engine) as session:
                session.add(row)
                session.flush()
                older = delete(StoredClassifier).where(
                    _of_this_version(), StoredClassifier.generation < generation
                )
                session.execute(older)
        except IntegrityError:
            return False
        return True
