"""The registry's field rules, once. The model's fields carry them, so every write path refuses
the same value with the same message: the browser form and the admin (model forms run
``full_clean``), the services (``full_clean``), the spreadsheet importer (``clean_fields`` on the
unsaved rows it builds) and the demo seed (through the services)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The first cooperatives of the Democratic Republic were founded after 1945.
EARLIEST_FOUNDING = datetime.date(1945, 1, 1)
# The largest cooperatives (people's credit funds) have a few thousand members.
MAX_MEMBERS = 100_000

validate_cooperative_code = RegexValidator(
    r"^\d{10}(-\d{3})?$",
    _("The cooperative code must be 10 digits, or 10 digits, a hyphen and 3 digits for a branch."),
    code="invalid_code",
)

validate_phone = RegexValidator(
    r"^\+?[\d .\-()]{8,20}$",
    _('"%(value)s" is not a phone number: write 8 to 20 digits (spaces, dots, dashes and brackets allowed).'),
    code="invalid_phone",
)

WEBSITE_MESSAGE = _("Enter a web address that starts with http:// or https://, e.g. https://htx-senhong.vn.")
validate_website = URLValidator(schemes=["http", "https"], message=WEBSITE_MESSAGE)

validate_members_count = MaxValueValidator(
    MAX_MEMBERS, _("A cooperative with more than %(limit_value)s members is not plausible.")
)


def validate_founding_date(value: datetime.date) -> None:
    """A founding date lies between 1945 and today."""
    if EARLIEST_FOUNDING <= value <= timezone.localdate():
        return
    raise ValidationError(
        _("The founding date %(value)s is not plausible: it must lie between 01/01/1945 and today."),
        code="implausible_founding_date",
        params={"value": value.strftime("%d/%m/%Y")},
    )
