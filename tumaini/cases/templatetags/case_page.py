"""{% case_part_url case "notes" %}: the link back to a part of the case page, in its section."""

from django import template

from tumaini.cases import parts

register = template.Library()


@register.simple_tag
def case_part_url(case, key):
    return parts.part_url(case, key)
