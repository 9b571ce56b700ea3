"""Forms for module runs, submissions and marking; the rules live in assessments.services."""

from django import forms
from django.conf import settings

from accounts.models import User
from assessments.models import AssessmentScheme
from core.uploads import ALLOWED_DESCRIPTION, human_size

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ModuleRunForm(forms.Form):
    online_start = forms.DateField(label="Online learning starts", widget=DATE)
    campus_start = forms.DateField(label="First campus day", widget=DATE)
    lead = forms.ModelChoiceField(
        label="Module lead (marker)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not yet chosen",
    )
    pass_mark = forms.IntegerField(label="Pass mark", min_value=1, max_value=100)
    late_policy = forms.ChoiceField(label="Late submissions", choices=AssessmentScheme.LatePolicy.choices)

    def __init__(self, *args, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
        self.fields["lead"].label_from_instance = lambda u: f"{u.full_name} ({u.email})"
        for n in (1, 2):
            self.fields[f"title_{n}"] = forms.CharField(label=f"Assignment {n}: title", max_length=200)
            self.fields[f"due_on_{n}"] = forms.DateField(label=f"Assignment {n}: deadline", widget=DATE)
            self.fields[f"weight_{n}"] = forms.IntegerField(
                label=f"Assignment {n}: weight (%)", min_value=0, max_value=100
            )
            self.fields[f"cutoff_on_{n}"] = forms.DateField(
                label=f"Assignment {n}: cut-off date",
                widget=DATE,
                required=False,
                help_text="Only with the cut-off policy: nothing is accepted after this day.",
            )


def _file_help() -> str:
    return f"{ALLOWED_DESCRIPTION}; up to {human_size(settings.UPLOAD_MAX_BYTES)}."


class SubmissionForm(forms.Form):
    file = forms.FileField(label="Your assignment file")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()
        self.fields["file"].widget.attrs["data-max-bytes"] = settings.UPLOAD_MAX_BYTES


class MarkForm(forms.Form):
    mark = forms.IntegerField(label="Mark (0–100)", min_value=0, max_value=100)
    feedback = forms.CharField(
        label="Written feedback",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The apprentice reads this.",
    )
    annotated_file = forms.FileField(label="Annotated copy", required=False)

    def __init__(self, *args, released: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annotated_file"].help_text = _file_help()
        if released:
            self.fields["reason"] = forms.CharField(
                label="Reason for changing a released mark",
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Kept in the mark's history and sent to the apprentice.",
            )
