"""Reports arriving through Africa's Talking: inbound SMS (`sms`) and USSD (`ussd`).

Each module parses the provider's form fields and makes one call into `tumaini.tips.services`; the
views sit behind `tumaini.messaging.views.provider_callback` at /hooks/africastalking/<secret>/.
"""

import unicodedata


def clean_text(value: str, *, keep_newlines: bool = True) -> str:
    """Provider text without control characters (PostgreSQL refuses NUL in text columns)."""
    allowed = "\n\t" if keep_newlines else ""
    return "".join(
        ch for ch in value if ch in allowed or unicodedata.category(ch)[0] != "C"
    ).strip()
