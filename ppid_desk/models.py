"""Imports every domain's models, for Alembic and for mapper configuration."""

from .accounts.models import Role, User, UserRole  # noqa: F401
from .attachments.models import Attachment  # noqa: F401
from .audit.models import Event  # noqa: F401
from .consultations.models import Consultation  # noqa: F401
from .desk.queue_models import SavedQueueFilter  # noqa: F401
from .dip.models import InformationItem, ItemViewDay, SearchText  # noqa: F401
from .evaluation.models import (  # noqa: F401
    Answer,
    AnswerObjection,
    EvaluationRound,
    Participant,
    Questionnaire,
    QuestionnaireVersion,
)
from .exemptions.models import ExemptionDecision  # noqa: F401
from .monev.models import AnnualReport, WorkdayOrdinal  # noqa: F401
from .notices.fee_models import NoticeFeeLine  # noqa: F401
from .notices.models import ConsequenceTest, Delivery, WrittenNotice  # noqa: F401
from .notifications.models import OutboxMessage  # noqa: F401
from .objections.models import Dispute, DisputeStage, Objection  # noqa: F401
from .operations.models import DataVersion  # noqa: F401
from .organisation.models import Unit  # noqa: F401
from .organisation.profile_models import BodyProfile, ServiceHours  # noqa: F401
from .organisation.tariff_models import TariffLine  # noqa: F401
from .requests.models import (  # noqa: F401
    Applicant,
    CompletenessLetter,
    InformationRequest,
    InternalNote,
    OfficialLetter,
    RegistrationCounter,
)
from .routing.models import RoutingTask  # noqa: F401
from .survey.models import SurveyResponse, SurveyTicket  # noqa: F401
from .workcalendar.models import CalendarYear, Holiday  # noqa: F401
