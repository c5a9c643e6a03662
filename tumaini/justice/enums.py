from django.db import models
from django.utils.translation import gettext_lazy as _


class Charge(models.TextChoices):
    """Offences of Part II of the Counter-Trafficking in Persons Act, 2010 (Kenya), by section."""

    S3 = "ctip_s3", _("s3 Trafficking in persons")
    S4 = "ctip_s4", _("s4 Acts that promote child trafficking")
    S5 = "ctip_s5", _("s5 Promotion of trafficking in persons")
    S6 = "ctip_s6", _("s6 Acquisition of travel documents by fraud or misrepresentation")
    S7 = "ctip_s7", _("s7 Facilitating entry into or exit out of the country")
    S8 = "ctip_s8", _("s8 Interfering with travel documents and personal effects")
    S9 = "ctip_s9", _("s9 Life-threatening circumstances or death")
    S10 = "ctip_s10", _("s10 Trafficking in persons for organised crime")


class PoliceReportStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    INVESTIGATING = "investigating", _("Under investigation")
    FORWARDED = "forwarded", _("Forwarded to the prosecutor")
    NO_ACTION = "no_action", _("Closed without charges")


class ProsecutionStatus(models.TextChoices):
    CHARGED = "charged", _("Charged")
    TRIAL = "trial", _("Trial")
    JUDGMENT = "judgment", _("Awaiting judgment")
    APPEAL = "appeal", _("On appeal")
    CONCLUDED = "concluded", _("Concluded")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONVICTED = "convicted", _("Conviction")
    ACQUITTED = "acquitted", _("Acquittal")
    WITHDRAWN = "withdrawn", _("Charges withdrawn")
    DISMISSED = "dismissed", _("Case dismissed")


class ProtectiveMeasure(models.TextChoices):
    """What a court may order to protect a victim witness (s11 confidentiality, and the Witness
    Protection Act)."""

    IN_CAMERA = "in_camera", _("Hearing in camera (closed court)")
    IDENTITY_WITHHELD = "identity_withheld", _("Identity withheld from publication")
    SCREEN = "screen", _("Testimony behind a screen")
    VIDEO_LINK = "video_link", _("Testimony by video link or through an intermediary")
    WITNESS_PROTECTION = "witness_protection", _("Witness protection programme")
    ESCORT = "escort", _("Police escort to and from court")


class HearingKind(models.TextChoices):
    PLEA = "plea", _("Plea")
    MENTION = "mention", _("Mention")
    TRIAL = "trial", _("Trial hearing")
    DEFENCE = "defence", _("Defence hearing")
    JUDGMENT = "judgment", _("Judgment")
    SENTENCING = "sentencing", _("Sentencing")
    OTHER = "other", _("Other")


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    ADJOURNED = "adjourned", _("Adjourned")
    CANCELLED = "cancelled", _("Cancelled")
