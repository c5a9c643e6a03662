from tumaini.cases.models.assessments import (
    CarePlan,
    CarePlanGoal,
    Need,
    NeedsAssessment,
    RiskAssessment,
)
from tumaini.cases.models.case import Case, Intake, new_case_number
from tumaini.cases.models.consent import Consent
from tumaini.cases.models.file import CaseDocument, CaseNote
from tumaini.cases.models.profile import ExploitationProfile, SuspectedPerpetrator, TraffickingEvent
from tumaini.cases.models.screening import (
    Screening,
    ScreeningAnswer,
    ScreeningQuestion,
    ScreeningQuestionSet,
)
from tumaini.cases.models.workflow import ApprovalRequest, Notification, StageChange

__all__ = [
    "ApprovalRequest",
    "CarePlan",
    "CarePlanGoal",
    "Case",
    "CaseDocument",
    "CaseNote",
    "Consent",
    "ExploitationProfile",
    "Intake",
    "Need",
    "NeedsAssessment",
    "Notification",
    "RiskAssessment",
    "Screening",
    "ScreeningAnswer",
    "ScreeningQuestion",
    "ScreeningQuestionSet",
    "StageChange",
    "SuspectedPerpetrator",
    "TraffickingEvent",
    "new_case_number",
]
