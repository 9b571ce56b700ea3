from decimal import Decimal

from django import forms

from accounts.models import Organisation, User
from programmes.models import Enrolment, WithdrawalReason

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnrolmentForm(forms.Form):
    """Enrol an apprentice; the rules live in programmes.services.enrolment_create."""

    apprentice = forms.ModelChoiceField(
        queryset=User.objects.filter(
            is_active=True, organisation__kind=Organisation.Kind.EMPLOYER
        ).select_related("organisation"),
        help_text="People at employers; invite someone first if they are not listed.",
    )
    cohort = forms.ModelChoiceField(queryset=None)
    employer = forms.ModelChoiceField(queryset=Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER))
    line_manager = forms.ModelChoiceField(
        queryset=User.objects.filter(
            is_active=True, organisation__kind=Organisation.Kind.EMPLOYER
        ).select_related("organisation"),
        help_text="Must work for the employer.",
    )
    practice_tutor = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, organisation__kind=Organisation.Kind.PROVIDER)
    )
    start_date = forms.DateField(label="Learning start date", widget=DATE)
    planned_end_date = forms.DateField(
        label="Planned end date",
        widget=DATE,
        help_text="End of the practical period (the EPA period is excluded).",
    )
    contracted_weekly_hours = forms.DecimalField(
        label="Contracted weekly hours",
        min_value=Decimal("1"),
        max_value=Decimal("48"),
        decimal_places=2,
        help_text="Between 1 and 48.",
        error_messages={
            "min_value": "Contracted weekly hours must be between 1 and 48.",
            "max_value": "Contracted weekly hours must be between 1 and 48.",
            "required": "Enter the contracted weekly hours.",
            "invalid": "Contracted weekly hours must be a number, like 37 or 22.5.",
        },
    )
    prior_learning_hours = forms.DecimalField(
        label="Recognised prior learning (hours)",
        min_value=Decimal("0"),
        decimal_places=2,
        required=False,
        initial=Decimal("0"),
    )
    prior_learning_notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    REQUIRED_MESSAGES = {
        "apprentice": "Choose the apprentice.",
        "cohort": "Choose the cohort.",
        "employer": "Choose the apprentice's employer.",
        "line_manager": "Choose the line manager.",
        "practice_tutor": "Choose the practice tutor.",
        "start_date": "Enter the learning start date.",
        "planned_end_date": "Enter the planned end date.",
    }

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        for name, message in self.REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        for name in ("apprentice", "line_manager"):
            self.fields[name].label_from_instance = lambda u: f"{u.full_name} ({u.organisation})"

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("planned_end_date")
        if start and end and end <= start:
            self.add_error("planned_end_date", "The planned end date must be after the start date.")
        if data.get("prior_learning_hours") is None:
            data["prior_learning_hours"] = Decimal("0")
        return data


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label="New status")
    effective_on = forms.DateField(label="Takes effect on", widget=DATE)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required for a withdrawal or a break in learning; kept on the learner record.",
    )
    withdrawal_reason_code = forms.ChoiceField(
        label="Withdrawal reason (learner record)",
        required=False,
        choices=[("", "Choose the reason reported on the learner record")] + WithdrawalReason.choices,
        help_text="Only for a withdrawal.",
    )
    expected_return_date = forms.DateField(
        label="Expected return date", widget=DATE, required=False, help_text="Only for a break in learning."
    )

    def __init__(self, *args, enrolment: Enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (s, Enrolment.Status(s).label) for s in enrolment.allowed_transitions()
        ]
        if Enrolment.Status.WITHDRAWN not in enrolment.allowed_transitions():
            del self.fields["withdrawal_reason_code"]
        if Enrolment.Status.BREAK_IN_LEARNING not in enrolment.allowed_transitions():
            del self.fields["expected_return_date"]

    def clean(self):
        data = super().clean()
        if data.get("to_status") == Enrolment.Status.WITHDRAWN and not data.get("withdrawal_reason_code"):
            self.add_error(
                "withdrawal_reason_code", "Choose the withdrawal reason from the learner-record list."
            )
        return data


class EmployerChangeForm(forms.Form):
    employer = forms.ModelChoiceField(queryset=Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER))
    line_manager = forms.ModelChoiceField(
        queryset=User.objects.filter(
            is_active=True, organisation__kind=Organisation.Kind.EMPLOYER
        ).select_related("organisation"),
        help_text="Must work for the new employer.",
    )
    effective_on = forms.DateField(label="New employment starts on", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line_manager"].label_from_instance = lambda u: f"{u.full_name} ({u.organisation})"
