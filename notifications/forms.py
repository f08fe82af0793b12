from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("By e-mail"), required=False)
    zalo = forms.BooleanField(label=_("By Zalo (to the phone number of your account)"), required=False)
    language = forms.ChoiceField(label=_("Language of the messages"), choices=settings.LANGUAGES)
