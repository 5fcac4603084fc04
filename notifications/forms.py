from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string

from .models import Preference
from .outbox import queue_email


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email_enabled"]


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's form, with the e-mail put in the outbox: the worker sends it
    (the request never waits for the mail server, a broker outage loses nothing)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        text = render_to_string(email_template_name, context)
        html = ""
        if html_email_template_name:
            html = render_to_string(html_email_template_name, context)
        queue_email(
            to_email,
            subject,
            text,
            html,
            headers={"X-Tongket-Message": "password-reset"},
            secret=True,
        )
