"""Users and their roles. A role binds a user to the part of the country they may see."""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Roles and their binding live in accounts.roles; Role is imported from here by the other apps.
from .roles import AGENCY_ROLES, NATIONAL_READER_ROLES, Role, role_scope_errors

# Django's own salt for the session hash, so that a stamp of 0 gives exactly Django's hash.
SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


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
    # By name: accounts sits below directives in the layers and imports nothing of it.
    agency = models.ForeignKey(
        "directives.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Moved on when the user turns two-step verification on, off or to a new phone: it is part of
    # the hash each session carries (``get_session_auth_hash``), so every other session ends, as
    # a password change ends them.
    session_stamp = models.PositiveIntegerField(default=0, editable=False)

    # Who changed an account's role, scope or status, and when (never the password hash).
    history = HistoricalRecords(excluded_fields=["password", "last_login", "session_stamp"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # A provincial officer is always bound to exactly one province, a member to
            # one cooperative, an agency role to one agency; national roles are bound to none.
            models.CheckConstraint(
                name="user_role_binding",
                condition=(
                    Q(
                        role=Role.PROVINCIAL_OFFICER,
                        province__isnull=False,
                        cooperative__isnull=True,
                        agency__isnull=True,
                    )
                    | Q(
                        role=Role.COOPERATIVE_MEMBER,
                        cooperative__isnull=False,
                        province__isnull=True,
                        agency__isnull=True,
                    )
                    | Q(
                        role__in=[Role.NATIONAL_ADMIN, Role.MINISTRY_ANALYST],
                        province__isnull=True,
                        cooperative__isnull=True,
                        agency__isnull=True,
                    )
                    | Q(
                        role__in=list(AGENCY_ROLES),
                        agency__isnull=False,
                        province__isnull=True,
                        cooperative__isnull=True,
                    )
                    # An account being created (e.g. createsuperuser) may not be bound yet.
                    | Q(is_active=False)
                    | Q(is_superuser=True, province__isnull=True, cooperative__isnull=True)
                ),
            ),
        ]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        errors = role_scope_errors(
            role=self.role,
            province_id=self.province_id,
            cooperative_id=self.cooperative_id,
            is_active=self.is_active,
            is_superuser=self.is_superuser,
            agency=self.agency if self.agency_id else None,
        )
        if errors:
            raise ValidationError(errors)

    def get_session_auth_hash(self) -> str:
        return self._stamped_session_hash(None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._stamped_session_hash(secret)

    def _stamped_session_hash(self, secret: str | bytes | None) -> str:
        """Django's hash of the password while the stamp has never moved (sessions opened before
        the stamp existed stay valid), then the same over the password and the stamp."""
        if not self.session_stamp:
            return salted_hmac(SESSION_HASH_SALT, self.password, secret=secret, algorithm="sha256").hexdigest()
        value = f"{self.password}:{self.session_stamp}"
        return salted_hmac(SESSION_HASH_SALT, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def is_national(self) -> bool:
        """National administrators, ministry analysts and agency accounts see the whole country
        (all but administrators read only)."""
        return self.is_superuser or self.role in NATIONAL_READER_ROLES

    @property
    def is_agency_bound(self) -> bool:
        """An agency or Cooperative Alliance officer: reports on the tasks of their agency."""
        return self.role in AGENCY_ROLES and self.agency_id is not None and not self.is_superuser

    @property
    def is_national_admin(self) -> bool:
        return self.is_superuser or self.role == Role.NATIONAL_ADMIN

    @property
    def is_officer(self) -> bool:
        return self.role == Role.PROVINCIAL_OFFICER and not self.is_superuser

    @property
    def is_member(self) -> bool:
        return self.role == Role.COOPERATIVE_MEMBER and not self.is_superuser


class ApiScope(models.TextChoices):
    INDICATORS_READ = "indicators:read", _("Read indicators and directive tracking")
    REGISTRY_READ = "registry:read", _("Read the cooperative registry")
    RESPONSES_READ = "responses:read", _("Read self-assessments")
    RESPONSES_WRITE = "responses:write", _("Enter self-assessments for cooperatives")
    TASKS_WRITE = "tasks:write", _("Report progress on directive tasks")


# Writing scopes act within one province; a national (ministry) token only reads.
WRITE_SCOPES = (ApiScope.RESPONSES_WRITE, ApiScope.TASKS_WRITE)
TOKEN_ROLES = (Role.MINISTRY_ANALYST, Role.PROVINCIAL_OFFICER)


class ApiToken(models.Model):
    """A machine's key to the API, issued by a national administrator to one organisation.

    The token acts through its own service account (``user``): a ministry analyst for the
    whole country, or a provincial officer of one province, so that the API reads through
    the same scoped selectors and writes through the same services as the browser. Only the
    SHA-256 of the secret is stored; the secret itself is shown once, when issued.
    """

    organisation = models.CharField(_("organisation"), max_length=255)
    user = models.OneToOneField(
        User, verbose_name=_("acting account"), on_delete=models.PROTECT, related_name="api_token"
    )
    role = models.CharField(_("acts as"), max_length=32, choices=[(r.value, r.label) for r in TOKEN_ROLES])
    province = models.ForeignKey(
        "cooperatives.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="issued_api_tokens"
    )
    # Obtained by a ministry analyst for themselves, as opposed to issued by an administrator to an
    # organisation: only personal tokens are listed, counted and revoked as the issuer's own.
    personal = models.BooleanField(_("personal"), default=False)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    # Issue and revocation are audited; the secret's hash and the use timestamp are not copied.
    history = HistoricalRecords(excluded_fields=["secret_hash", "last_used_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                name="api_token_role_binding",
                condition=(
                    Q(role=Role.MINISTRY_ANALYST, province__isnull=True)
                    | Q(role=Role.PROVINCIAL_OFFICER, province__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.prefix}…)"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, list[object]] = {}
        scopes = self.scopes
        if not isinstance(scopes, list) or not scopes or not set(scopes) <= set(ApiScope.values):
            errors.setdefault("scopes", []).append(_("Choose one or more of the listed scopes."))
        elif self.role == Role.MINISTRY_ANALYST and set(scopes) & set(WRITE_SCOPES):
            errors.setdefault("scopes", []).append(
                _("A national token only reads; writing scopes need a province token.")
            )
        if self.role == Role.PROVINCIAL_OFFICER and not self.province_id:
            errors.setdefault("province", []).append(_("A province token needs its province."))
        if self.role == Role.MINISTRY_ANALYST and self.province_id:
            errors.setdefault("province", []).append(_("A national token has no province."))
        if errors:
            raise ValidationError(errors)

    @property
    def scope_items(self) -> list[tuple[str, str]]:
        """Each scope with its name in the user's language, for pages (the code is for machines)."""
        labels = dict(ApiScope.choices)
        return [(scope, str(labels.get(scope, scope))) for scope in self.scopes]

    def is_usable(self, at: datetime.datetime | None = None) -> bool:
        from django.utils import timezone

        now = at or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def status(self) -> str:
        from django.utils import timezone

        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > timezone.now() else "expired"


class SignInLink(models.Model):
    """A one-time sign-in link sent by e-mail (``accounts.signin_links``): only its digest is
    kept; used once, within minutes. The rows are also the log of who asked, from where, and
    when it was used."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="signin_links")
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    requested_from = models.GenericIPAddressField(_("requested from"), null=True, blank=True)
    sent_to = models.EmailField(_("sent to"), blank=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_from = models.GenericIPAddressField(_("used from"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        indexes = [models.Index(fields=["user", "created_at"], name="signinlink_user_created")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
