"""Vocabularies of case work. Codes follow HTCDS / CTDC (see the shared domain notes); labels translate."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStage(models.TextChoices):
    """The journey through Kenya's national referral mechanism, in order. Rename labels here only."""

    SCREENING = "screening", _("Identification and screening")
    PROTECTION = "protection", _("Immediate protection")
    ASSESSMENT = "assessment", _("Needs and risk assessment")
    CARE_PLANNING = "care_planning", _("Care plan")
    ASSISTANCE = "assistance", _("Assistance")
    REINTEGRATION = "reintegration", _("Return, reintegration or repatriation")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class IntakeSource(models.TextChoices):
    PUBLIC_REPORT = "public_report", _("Public report")
    POLICE = "police", _("Police")
    IMMIGRATION = "immigration", _("Immigration")
    LABOUR_OFFICER = "labour_officer", _("Labour officer")
    HOSPITAL = "hospital", _("Hospital")
    EMBASSY = "embassy", _("Embassy")
    NGO = "ngo", _("NGO")
    CHILD_HELPLINE = "helpline_116", _("Child helpline 116")
    GBV_HELPLINE = "helpline_1195", _("GBV helpline 1195")
    HOTLINE = "hotline", _("Tumaini help line")
    WALK_IN = "walk_in", _("Walk-in")
    SELF = "self", _("Self-referral")
    OTHER = "other", _("Other")


class TraffickingDecision(models.TextChoices):
    """HTCDS trafficking status."""

    PENDING = "pending", _("Not decided yet")
    POSSIBLE = "possible", _("Possible victim of trafficking")
    ACTUAL = "actual", _("Victim of trafficking")
    NOT_A_VICTIM = "not_a_victim", _("Not a victim of trafficking")


class PalermoAct(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSPORTATION = "transportation", _("Transportation")
    TRANSFER = "transfer", _("Transfer")
    HARBOURING = "harbouring", _("Harbouring")
    RECEIPT = "receipt", _("Receipt")


class PalermoMeans(models.TextChoices):
    THREAT_OR_FORCE = "threat_or_force", _("Threat or use of force")
    COERCION = "coercion", _("Other coercion")
    ABDUCTION = "abduction", _("Abduction")
    FRAUD = "fraud", _("Fraud")
    DECEPTION = "deception", _("Deception")
    ABUSE_OF_POWER = "abuse_of_power", _("Abuse of power or of vulnerability")
    PAYMENTS = "payments", _("Giving or receiving payments")


class ExploitationType(models.TextChoices):
    """HTCDS `vic_TypeOfExploitation`, plus slavery and child marriage from Kenya's Act (s2)."""

    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    CHILD_MARRIAGE = "ChildMarriage", _("Child marriage")
    SERVITUDE = "Servitude", _("Servitude")
    SLAVERY = "Slavery", _("Slavery or practices similar to slavery")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Use in armed conflict")
    ORGAN_REMOVAL = "OrganRemoval", _("Removal of organs")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Forced surrogacy")
    OTHER = "Other", _("Other")


# Exploitation is the Palermo "purpose": the same vocabulary.
PalermoPurpose = ExploitationType


class LabourSector(models.TextChoices):
    """CTDC `typeOfLabour*`."""

    AGRICULTURE = "Agriculture", _("Agriculture")
    AQUAFARMING = "Aquafarming", _("Fishing and aquafarming")
    BEGGING = "Begging", _("Begging")
    CONSTRUCTION = "Construction", _("Construction")
    DOMESTIC_WORK = "DomesticWork", _("Domestic work")
    HOSPITALITY = "Hospitality", _("Hospitality")
    ILLICIT_ACTIVITIES = "IllicitActivities", _("Illicit activities")
    MANUFACTURING = "Manufacturing", _("Manufacturing")
    MINING = "MiningOrDrilling", _("Mining or drilling")
    PEDDLING = "Peddling", _("Peddling")
    TRANSPORTATION = "Transportation", _("Transportation")
    OTHER = "Other", _("Other")


class SexualExploitationType(models.TextChoices):
    """CTDC `typeOfSex*`."""

    PROSTITUTION = "Prostitution", _("Prostitution")
    PORNOGRAPHY = "Pornography", _("Pornography")
    REMOTE = "RemoteInteractiveServices", _("Remote interactive services")
    PRIVATE = "PrivateSexualServices", _("Private sexual services")


class MeansOfControl(models.TextChoices):
    """CTDC `meansOfControl*`."""

    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("Restricts access to money")
    THREATS = "Threats", _("Threats")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PSYCHOACTIVE_SUBSTANCES = "PsychoactiveSubstances", _("Psychoactive substances")
    RESTRICTS_MOVEMENT = "RestrictsMovement", _("Restricts movement")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("Restricts medical care")
    EXCESSIVE_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    USES_CHILDREN = "UsesChildren", _("Uses children")
    THREAT_OF_LAW_ENFORCEMENT = "ThreatOfLawEnforcement", _("Threat of law enforcement")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds documents")
    OTHER = "Other", _("Other")


class RecruiterRelation(models.TextChoices):
    INTIMATE_PARTNER = "IntimatePartner", _("Intimate partner")
    FRIEND = "Friend", _("Friend")
    FAMILY = "Family", _("Family")
    OTHER = "Other", _("Other")
    UNKNOWN = "Unknown", _("Unknown")


class TraffickingEventType(models.TextChoices):
    """HTCDS `hte_Type`."""

    RECRUITMENT = "Recruitment", _("Recruitment")
    TRANSIT = "Transit", _("Transit")
    EXPLOITATION = "Exploitation", _("Exploitation")


class ConsentPurpose(models.TextChoices):
    SERVICES = "services", _("Receive services from the centre")
    REFERRAL = "referral", _("Referral to a named organisation")
    LAW_ENFORCEMENT = "law_enforcement", _("Cooperation with law enforcement")
    STATISTICS = "statistics", _("Anonymous data in statistics")
    SMS_CONTACT = "sms_contact", _("Contact by SMS")
    CASE_SUMMARY = "case_summary", _("Case summary shared with a court or receiving agency")
    PHOTOGRAPH = "photograph", _("Photograph kept on file")


class ConsentGiver(models.TextChoices):
    SELF = "self", _("The survivor")
    GUARDIAN = "guardian", _("Parent or guardian")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class NeedType(models.TextChoices):
    """Needs assessment items (domain notes)."""

    SAFETY_THREAT = "safety_threat", _("Safety threat")
    BEING_FOLLOWED = "being_followed", _("Being followed")
    ACCOMMODATION = "accommodation", _("Accommodation")
    FOOD = "food", _("Food and diet")
    CLOTHING = "clothing", _("Clothing")
    MEDICATION = "medication", _("Medication")
    HEALTH = "health", _("Health")
    DISABILITY = "disability", _("Disability")
    UNSAFE_LOCATIONS = "unsafe_locations", _("Unsafe locations")
    FAMILY_CONCERNS = "family_concerns", _("Family concerns")
    FAMILY_CONTACT = "family_contact", _("Family contact")
    DOCUMENTS = "documents", _("Documents")
    OTHER = "other", _("Other")


class SupportPlanType(models.TextChoices):
    """HTCDS `spl_Type`: what a care-plan goal is about."""

    EDUCATION = "Education", _("Education")
    FINANCIAL = "Financial", _("Financial")
    HEALTH = "Health", _("Health")
    LEGAL = "Legal", _("Legal")
    LIVELIHOOD = "Livelihood", _("Livelihood")
    SOCIAL_CARE = "SocialCare", _("Social care")
    RIGHTS_TRAINING = "RightsBasedTraining", _("Rights-based training")
    LABOUR_REHABILITATION = (
        "LabourExploitationRehabilitation",
        _("Labour exploitation rehabilitation"),
    )
    SEXUAL_REHABILITATION = (
        "SexualExploitationRehabilitation",
        _("Sexual exploitation rehabilitation"),
    )


class CarePlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Sent back")
    SUPERSEDED = "superseded", _("Replaced by a newer plan")


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class ApprovalKind(models.TextChoices):
    CARE_PLAN = "care_plan", _("Care plan")
    CLOSURE = "closure", _("Case closure")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ClosureReason(models.TextChoices):
    REINTEGRATED = "reintegrated", _("Reintegrated")
    REPATRIATED = "repatriated", _("Repatriated")
    NOT_A_VICTIM = "not_a_victim", _("Not a victim of trafficking")
    REFERRED_ON = "referred_on", _("Referred to another agency")
    DECLINED_SERVICES = "declined_services", _("Survivor declined services")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    DECEASED = "deceased", _("Deceased")
    DUPLICATE = "duplicate", _("Duplicate case")
    OTHER = "other", _("Other")


class NoteKind(models.TextChoices):
    GENERAL = "general", _("General")
    CONTACT = "contact", _("Contact with the survivor")
    HOME_VISIT = "home_visit", _("Home visit")
    SUPERVISION = "supervision", _("Supervision")
    FOLLOW_UP = "follow_up", _("Follow-up")


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    MEDICAL = "medical", _("Medical report")
    POLICE = "police", _("Police document")
    COURT = "court", _("Court document")
    CONSENT = "consent", _("Signed consent form")
    ASSESSMENT = "assessment", _("Assessment")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    OTHER = "other", _("Other")


class CaseFlag(models.TextChoices):
    HIGH_RISK = "high_risk", _("High risk")
    CHILD = "child", _("Child")
    TRAFFICKER_CONTACT = "trafficker_contact", _("Trafficker has tried to make contact")
    NEEDS_INTERPRETER = "needs_interpreter", _("Needs an interpreter")
    MEDICAL_URGENT = "medical_urgent", _("Urgent medical need")
    WITNESS = "witness", _("Witness in a prosecution")


class ScreeningAnswerKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    CHOICE = "choice", _("One choice")
    MULTI_CHOICE = "multi_choice", _("Several choices")
    DATE = "date", _("Date")
    NUMBER = "number", _("Number")
