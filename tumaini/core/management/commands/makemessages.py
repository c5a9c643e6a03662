"""Django's makemessages, also extracting `_t(...)`: views import gettext as `_t` beside
gettext_lazy as `_`, and without this their messages (flash messages, refusals) stayed English."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_t"]
