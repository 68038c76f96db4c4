"""The stored classifier models, one table shared by every process and machine."""

from datetime import datetime

from sqlalchemy import Column, LargeBinary, String
from sqlmodel import Field, SQLModel

from services_catalog.models import timestamp_column, utcnow


class StoredClassifier(SQLModel, table=True):
    """A retrained classifier, pickled by the scikit-learn named in `scikit_learn`.

    A pickle is only good for the scikit-learn that wrote it, so models are numbered per
    version: `generation` is one more than the model of that version it replaced, and
    the key (`scikit_learn`, `generation`) lets only one of two processes racing to
    replace the same model store its own. Each version keeps its latest model only.
    """

    __tablename__ = "classifier_model"

    scikit_learn: str = Field(sa_column=Column(String(40), primary_key=True))
    generation: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    format: int
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    # Who asked for it: the command, a staff account, or a process replacing a bad model.
    trained_by: str = Field(max_length=200)
    model: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
