"""Every area's tables in one metadata: what Alembic compares the database against."""
from __future__ import annotations

from workflows.archive import models as _archive  # noqa: F401
from workflows.core.models import Base
from workflows.engine import models as _engine  # noqa: F401
from workflows.kinds.commitment import models as _commitment  # noqa: F401
from workflows.kinds.common import models as _attachments  # noqa: F401
from workflows.people import models as _people  # noqa: F401
from workflows.records import models as _records  # noqa: F401
from workflows.training import models as _training  # noqa: F401
from workflows.warnings import models as _warnings  # noqa: F401

metadata = Base.metadata
