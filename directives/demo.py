"""Demo accounts of directive tracking for `make run`: an officer of a ministry and one of the
Vietnam Cooperative Alliance, each reporting on their agency's tasks. Idempotent."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Role, User
from accounts.services import user_create
from cooperatives.demo import DEMO_PASSWORD, DemoAccount

from .models import Agency

# (user name, role, agency code, label)
AGENCY_ACCOUNTS = [
    ("bo.nongnghiep", Role.AGENCY_OFFICER, "BNNMT", "Cán bộ Bộ Nông nghiệp và Môi trường"),
    ("lienminh", Role.ALLIANCE_OFFICER, "LMHTXVN", "Cán bộ Liên minh HTX Việt Nam"),
]


@transaction.atomic
def demo_agency_accounts_seed() -> list[DemoAccount]:
    """Create the demo agency accounts that do not exist yet (agencies come with the migrations)."""
    accounts = []
    for username, role, agency_code, label in AGENCY_ACCOUNTS:
        accounts.append(DemoAccount(username, role, label))
        if User.objects.filter(username=username).exists():
            continue
        agency = Agency.objects.get(code=agency_code)
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            agency=agency,
            first_name=label,
            email=f"{username}@coopdx.local",
            organisation=agency.name,
        )
    return accounts
