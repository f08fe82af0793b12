"""Users and their roles. A role binds a user to the part of the country they may see."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    MINISTRY_ANALYST = "ministry_analyst", _("Ministry analyst")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    COOPERATIVE_MEMBER = "cooperative_member", _("Cooperative member")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.COOPERATIVE_MEMBER)
    province = models.ForeignKey(
        "cooperatives.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # A provincial officer is always bound to exactly one province, a member to
            # one cooperative; national roles are bound to neither.
            models.CheckConstraint(
                name="user_role_binding",
                condition=(
                    Q(role=Role.PROVINCIAL_OFFICER, province__isnull=False, cooperative__isnull=True)
                    | Q(role=Role.COOPERATIVE_MEMBER, cooperative__isnull=False, province__isnull=True)
                    | Q(
                        role__in=[Role.NATIONAL_ADMIN, Role.MINISTRY_ANALYST],
                        province__isnull=True,
                        cooperative__isnull=True,
                    )
                    # An account being created (e.g. createsuperuser) may not be bound yet.
                    | Q(is_active=False)
                    | Q(is_superuser=True, province__isnull=True, cooperative__isnull=True)
                ),
            ),
        ]

    @property
    def is_national(self) -> bool:
        """National administrators and ministry analysts see the whole country."""
        return self.is_superuser or self.role in (Role.NATIONAL_ADMIN, Role.MINISTRY_ANALYST)

    @property
    def is_national_admin(self) -> bool:
        return self.is_superuser or self.role == Role.NATIONAL_ADMIN

    @property
    def is_officer(self) -> bool:
        return self.role == Role.PROVINCIAL_OFFICER and not self.is_superuser

    @property
    def is_member(self) -> bool:
        return self.role == Role.COOPERATIVE_MEMBER and not self.is_superuser
