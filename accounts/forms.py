from django import forms

from accounts.models import Organisation
from core.validators import no_control_characters


class InvitationForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200, validators=[no_control_characters])
    email = forms.EmailField(label="Email address")
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.order_by("kind", "name"),
        help_text="The employer for apprentices and line managers; the university for staff.",
    )
    job_title = forms.CharField(
        label="Job title", max_length=200, required=False, validators=[no_control_characters]
    )


class AcceptInvitationForm(forms.Form):
    password = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password and not all numbers.",
    )
    password_again = forms.CharField(
        label="Type the password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "The two passwords do not match.")
        return data
