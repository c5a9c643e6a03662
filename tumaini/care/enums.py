from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceType(models.TextChoices):
    """What a survivor can be offered, in-house or by a partner. The care catalogue, care-plan
    deliveries and the partner directory's taxonomy all use these codes, so "needs met" and
    "which partner offers what" speak the same language."""

    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial counselling")
    LEGAL_AID = "legal_aid", _("Legal aid")
    EDUCATION = "education", _("Education")
    VOCATIONAL = "vocational", _("Vocational training")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    REPATRIATION = "repatriation", _("Repatriation support")
    ECONOMIC = "economic", _("Economic empowerment")
    MATERIAL = "material", _("Material support")
    INTERPRETATION = "interpretation", _("Interpretation")
    SHELTER = "shelter", _("Safe shelter")
    LAW_ENFORCEMENT = "law_enforcement", _("Police and investigation")
    CONSULAR = "consular", _("Consular help and travel documents")
