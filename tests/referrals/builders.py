"""Partners, services, consents and referrals built for the referral tests."""

from datetime import timedelta

from django.utils import timezone

from tests.cases.builders_casefile import owned_case
from tests.factories import OrganisationFactory, UserFactory
from tumaini.accounts.enums import OrganisationType, Role
from tumaini.care.enums import ServiceType
from tumaini.cases.enums import ConsentGiver, ConsentPurpose
from tumaini.cases.models import Consent
from tumaini.directory.models import PartnerService, ServiceTypeTag
from tumaini.referrals.enums import ReferralUrgency, SharedField
from tumaini.referrals.services import referral_create, referral_send


def make_partner(name="Mama Lucy Hospital", kind=OrganisationType.HEALTH_SERVICE):
    hospital = OrganisationFactory(name=name, type=kind)
    service = PartnerService.objects.create(organisation=hospital, name="Medical examination")
    ServiceTypeTag.objects.create(service=service, service_type=ServiceType.MEDICAL)
    return hospital, service


def partner_user(organisation, username="hospital-user", role=Role.PARTNER_USER):
    return UserFactory(username=username, organisation=organisation, roles=[role])


def referral_consent(case, recipient, recorded_by, **fields) -> Consent:
    values = {
        "person": case.person,
        "case": case,
        "purpose": ConsentPurpose.REFERRAL,
        "recipient": recipient,
        "given_by": ConsentGiver.SELF,
        "given_at": timezone.now() - timedelta(days=1),
        "recorded_by": recorded_by,
        **fields,
    }
    return Consent.objects.create(**values)


def draft_referral(
    personas,
    service,
    *,
    case=None,
    fields=(SharedField.FIRST_NAME, SharedField.AGE),
    urgency=ReferralUrgency.URGENT,
    reason="Medical examination after an assault.",
):
    case = case or owned_case(personas)
    return referral_create(
        actor=personas.owner,
        case=case,
        service=service,
        reason=reason,
        urgency=urgency,
        shared_fields=list(fields),
    )


def sent_referral(personas, service, **kwargs):
    referral = draft_referral(personas, service, **kwargs)
    referral_consent(referral.case, service.organisation, personas.owner)
    return referral_send(actor=personas.owner, referral=referral)
