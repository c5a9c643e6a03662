"""Select widgets for long lists (countries, languages, places): the same HTML as Django's own
Select and SelectMultiple, with the options written in Python.

Django renders each option through two included templates (the option, its attributes): for the
249 countries and 200 languages of an identity form that is about a thousand template renders on
every page showing the form, most of the time of such a page. Here an option costs two escapes and
a string. The <select> element itself still renders through Django's attrs template, so its
attributes come out as they always did. Grouped choices (optgroups) are left to Django.
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


class _PythonOptions:
    template_name = "core/widgets/list_select.html"
    django_template_name = "django/forms/widgets/select.html"

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        widget = context["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        options = self._options_html(widget["value"])
        if options is None:
            widget["optgroups"] = self.optgroups(name, widget["value"], attrs)
            widget["template_name"] = self.django_template_name
        widget["options_html"] = options
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        return self._render(context["widget"]["template_name"], context, renderer)

    def _options_html(self, selected_values: list[str]) -> str | None:
        """The options exactly as Django's select_option.html writes them; None for optgroups."""
        selected = set(selected_values)
        has_selected = False
        parts = []
        for value, label in self.choices:
            if isinstance(label, (list, tuple)):
                return None
            value = "" if value is None else str(value)
            # As Django: a single select marks only its first matching option.
            is_selected = (not has_selected or self.allow_multiple_selected) and value in selected
            has_selected |= is_selected
            parts.append(
                f'\n  <option value="{escape(value)}"{" selected" if is_selected else ""}>'
                f"{conditional_escape(label)}</option>\n"
            )
        return mark_safe("".join(parts))  # noqa: S308 - each value and label is escaped above


class ListSelect(_PythonOptions, forms.Select):
    pass


class ListSelectMultiple(_PythonOptions, forms.SelectMultiple):
    pass
