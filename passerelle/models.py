"""Every table of the platform, each declared by the package that owns it.

`passerelle.db` imports this module, so that whatever opens the database (the web
platform, a command, a worker, a script, Alembic) sees every table and foreign key: a
session flushing on partial metadata fails on the first reference to a table it lacks.
"""

from passerelle.accounts import models as accounts  # noqa: F401
from passerelle.alerts import models as alerts  # noqa: F401
from passerelle.analytics import models as analytics  # noqa: F401
from passerelle.classifier import models as classifier  # noqa: F401
from passerelle.deadlines import models as deadlines  # noqa: F401
from passerelle.interest import models as interest  # noqa: F401
from passerelle.outbox import models as outbox  # noqa: F401
from passerelle.provider import models as provider  # noqa: F401
from services_catalog import models as catalogue  # noqa: F401
