"""Imports every domain's models, for Alembic and for mapper configuration."""

from .accounts.models import Role, User, UserRole  # noqa: F401
from .attachments.models import Attachment  # noqa: F401
from .audit.models import Event  # noqa: F401
from .notifications.models import OutboxMessage  # noqa: F401
from .organisation.models import Unit  # noqa: F401
from .requests.models import Applicant, InformationRequest, RegistrationCounter  # noqa: F401
from .workcalendar.models import CalendarYear, Holiday  # noqa: F401
