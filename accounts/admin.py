from contextvars import ContextVar
from typing import Any, NoReturn

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import ApiToken, Role, User

# Django's own strings on the account forms that its catalogue has no Vietnamese for (new in
# Django 5.x): translated in ours, and listed here so that `make messages` keeps them.
DJANGO_ACCOUNT_STRINGS = (
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Password-based authentication"),
    gettext_noop("Disabled"),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still be "
        "able to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        0,
    ),
)


class AccountCreationForm(AdminUserCreationForm):
    """The add form: the role and the province or cooperative it binds to, checked as the model does."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = (
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "province",
            "cooperative",
            "agency",
            "organisation",
            "phone",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No role chosen in advance: a forgotten choice must not make a national administrator.
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)  # the model field has choices
        role.choices = [("", _("Choose a role")), *Role.choices]
        self.fields["role"].initial = ""
        self.fields["province"].help_text = _("Only for a provincial officer.")
        self.fields["cooperative"].help_text = _("Only for a cooperative member.")
        self.fields["agency"].help_text = _(
            "Only for an agency officer (a ministry, a provincial People's Committee or department) or a "
            "Cooperative Alliance officer (the Vietnam Cooperative Alliance)."
        )


# Who is using the admin's password page: its form is built by Django without the request.
_acting_admin: ContextVar[User | None] = ContextVar("acting_admin", default=None)


def _refuse() -> NoReturn:
    raise PermissionDenied


def _admin_user(request: HttpRequest) -> User:
    """The signed-in account using the admin (the admin site lets no one else in)."""
    return request.user if isinstance(request.user, User) else _refuse()


class AccountPasswordForm(AdminPasswordChangeForm):
    """The admin's password page, written through ``services.user_set_password``."""

    def save(self, commit: bool = True) -> User:
        usable = self.cleaned_data["set_usable_password"]
        return services.user_set_password(
            user=self.user,
            password=self.cleaned_data["password1"] if usable else None,
            by=_acting_admin.get() or _refuse(),
        )


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    """Accounts. Creating and changing an account goes through ``accounts.services`` (history,
    role binding, who may reach the admin site), like every other path."""

    add_form = AccountCreationForm
    change_password_form = AccountPasswordForm
    list_display = ("username", "email", "role", "province", "cooperative", "agency", "is_active")
    list_filter = ("role", "province", "is_active", "is_staff")
    search_fields = ("username", "email", "first_name", "last_name")
    autocomplete_fields = ("cooperative",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and scope"), {"fields": ("role", "province", "cooperative", "agency", "organisation", "phone")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and scope"), {"fields": ("role", "province", "cooperative", "agency", "organisation", "phone")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        # Admin-site access follows the role (see the service); superuser rights and raw Django
        # permissions are given by superusers only.
        readonly: tuple[str, ...] = ("is_staff",)
        if not request.user.is_superuser:
            readonly += ("is_superuser", "groups", "user_permissions")
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False  # deactivate instead: history, responses and reports keep their author

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        acting = _acting_admin.set(_admin_user(request))
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _acting_admin.reset(acting)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            fields = {name: data[name] for name in form.changed_data if name in services.USER_FIELDS}
            saved = services.user_update(user=obj, by=_admin_user(request), **fields)
        else:
            saved = services.user_create(
                by=_admin_user(request),
                username=data["username"],
                password=data.get("password1") if data.get("set_usable_password") else None,
                role=data["role"],
                province=data.get("province"),
                cooperative=data.get("cooperative"),
                agency=data.get("agency"),
                **{
                    name: data.get(name) or "" for name in ("first_name", "last_name", "email", "organisation", "phone")
                },
            )
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only view of the tokens: issuing (which shows the secret once) happens on the token
    page, through the service; revoking from here goes through the service too."""

    list_display = (
        "organisation",
        "prefix",
        "role",
        "province",
        "created_by",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("role", "province")
    search_fields = ("organisation", "prefix")
    # Scopes by name, in the page's language, rather than their codes.
    exclude = ("scopes",)
    readonly_fields = [*(field.name for field in ApiToken._meta.fields if field.name != "scopes"), "scope_names"]
    actions = ["revoke"]

    @admin.display(description=_("scopes"))
    def scope_names(self, obj: ApiToken) -> str:
        return "; ".join(label for _code, label in obj.scope_items)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        from .api.services import api_token_revoke

        for token in queryset:
            api_token_revoke(token=token, by=_admin_user(request))
