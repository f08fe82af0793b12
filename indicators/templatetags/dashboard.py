from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

from indicators.selectors import MIN_ANSWERS, too_few

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A dictionary value by a variable key (templates cannot index by variable)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def lookup_label(choices, code):
    return dict(choices).get(code, code)


@register.simple_tag
def figure(value: Decimal | None, metric: str, answers: Decimal | int | None, digits: int = 1) -> str:
    """A figure as a page shows it: "—" when there is none, "n < 5" when it rests on fewer than
    five answers (``selectors.too_few``), else the number in the page's language."""
    if value is None or value == "":  # "": a figure missing from the row, as templates say it
        return "—"
    if too_few_for(metric, answers):
        return format_html(
            '<abbr class="text-muted" title="{}">n&nbsp;&lt;&nbsp;{}</abbr>',
            _("Fewer than %(n)s self-assessments: too few for a share or an average.") % {"n": MIN_ANSWERS},
            MIN_ANSWERS,
        )
    return floatformat(value, digits)


@register.filter
def too_few_for(metric: str, answers: Decimal | int | str | None) -> bool:
    # A count missing from the row reaches a template tag as "".
    return too_few(metric, answers if isinstance(answers, int | Decimal) else None)
