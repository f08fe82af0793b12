"""The admin speaks the page's language: apps, models, list columns, actions and field labels."""

from __future__ import annotations

import html
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.utils import translation

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)


def admin_index_names(client, language) -> dict[str, str]:
    page = in_language(client, language).get("/admin/").content.decode()
    names = re.findall(r'<a href="(/admin/[a-z_]+/(?:[a-z_]+/)?)"(?: class="section"[^>]*)?>([^<]+)</a>', page)
    return {href: html.unescape(text).strip() for href, text in names}


def test_admin_index_names_every_app_and_model_in_the_page_language(login, superuser):
    client = login(superuser)
    vietnamese = admin_index_names(client, "vi")
    english = admin_index_names(client, "en")
    assert vietnamese["/admin/cooperatives/cooperative/"] == "Hợp tác xã"
    assert english["/admin/cooperatives/cooperative/"] == "Cooperatives"
    assert vietnamese["/admin/directives/"] == "Văn bản chỉ đạo"
    assert set(vietnamese) == set(english) and len(vietnamese) > 30
    untranslated = {href: text for href, text in vietnamese.items() if text == english[href]}
    assert untranslated == {}


# Words spelled the same in both languages (a proper name, an abbreviation).
SAME_IN_BOTH = {"Email", "email", "IP", "ID", "t0"}


def admin_labels(model, model_admin, language) -> dict[str, str]:
    """The list's column headers and the actions' names, as the admin shows them in ``language``."""
    with translation.override(language):
        labels = {name: str(label_for_field(name, model, model_admin)) for name in model_admin.list_display}
        labels.update({name: str(description) for _f, name, description in model_admin._get_base_actions()})
    labels.pop("__str__", None)  # the model's own name, checked on the index page
    return labels


# Apps whose models are being relabelled separately (their field labels are not all marked yet).
LABELLED_ELSEWHERE = {"surveys", "accounts"}


def test_admin_list_columns_and_actions_are_translated():
    untranslated = {}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in LABELLED_ELSEWHERE:
            continue
        english = admin_labels(model, model_admin, "en")
        vietnamese = admin_labels(model, model_admin, "vi")
        for name, text in english.items():
            if text == vietnamese[name] and text not in SAME_IN_BOTH:
                untranslated[f"{model._meta.label}.{name}"] = text
    assert untranslated == {}


@pytest.mark.parametrize("app_label", ["cooperatives", "directives", "indicators", "audit"])
def test_every_model_and_field_label_has_a_vietnamese_name(app_label):
    untranslated = []
    for model in apps.get_app_config(app_label).get_models():
        if model.__name__.startswith("Historical"):
            continue
        labels = [model._meta.verbose_name, model._meta.verbose_name_plural]
        labels += [
            f.verbose_name
            for f in model._meta.get_fields()
            if hasattr(f, "verbose_name") and not f.auto_created and f.name != "search_text"  # internal, never shown
        ]
        for label in labels:
            with translation.override("en"):
                english = str(label)
            with translation.override("vi"):
                vietnamese = str(label)
            if english == vietnamese and english not in SAME_IN_BOTH:
                untranslated.append(f"{model.__name__}: {english}")
    assert untranslated == []


def test_admin_index_is_branded_and_in_vietnamese_alphabetical_order(login, superuser):
    from coopdx.collation import sort_key

    page = in_language(login(superuser), "vi").get("/admin/").content.decode()
    assert "Quản trị CoopDX" in page and "Django" not in re.sub(r"<[^>]+>", " ", page)
    apps_shown = [
        html.unescape(name) for name in re.findall(r'<a href="/admin/[a-z_]+/" class="section"[^>]*>([^<]+)</a>', page)
    ]
    assert len(apps_shown) > 8 and apps_shown == sorted(apps_shown, key=sort_key)
    for app in re.findall(r'<div class="app-([a-z_]+) module', page):
        block = page[page.index(f'<div class="app-{app} module') :]
        block = block[: block.index("</table>")]
        models = [
            html.unescape(name) for name in re.findall(r'<th scope="row"[^>]*>\s*<a href="[^"]+">([^<]+)</a>', block)
        ]
        assert models == sorted(models, key=sort_key), app


def test_admin_change_history_page_is_in_vietnamese(login, superuser, coop_a):
    from cooperatives import services

    services.cooperative_update(cooperative=coop_a, by=superuser, members_count=41)
    page = in_language(login(superuser), "vi").get(f"/admin/cooperatives/cooperative/{coop_a.pk}/history/")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "Lịch sử thay đổi" in text
    for english in ("Changed by", "Change reason", "Object", "Choose a date", "Revert"):
        assert english not in text
    change_form = in_language(login(superuser), "vi").get(f"/admin/cooperatives/cooperative/{coop_a.pk}/change/")
    assert "Bản ghi nhớ" not in change_form.content.decode()
