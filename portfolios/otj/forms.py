"""Forms for the OTJ ledger; the rules themselves live in portfolios.otj.services."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone

from portfolios.forms import DATE, KSBChoiceField
from portfolios.otj.models import OffTheJobEntry, OTJActivityType
from programmes.models import KSB, ModuleRun


class ActivityTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OTJActivityType) -> str:
        return str(obj)


class ModuleRunField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ModuleRun) -> str:
        return (
            f"{obj.module.title} (online from {obj.online_start:%-d %b %Y}, campus {obj.campus_start:%-d %b})"
        )


class EntryForm(forms.Form):
    date = forms.DateField(label="Date of the activity", widget=DATE)
    hours = forms.DecimalField(
        label="Hours",
        min_value=Decimal("0.25"),
        max_value=Decimal(settings.OTJ_MAX_HOURS_PER_DAY),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
        help_text="In quarter-hour steps, e.g. 1.5 for an hour and a half.",
    )
    activity_type = ActivityTypeField(
        label="Kind of activity",
        queryset=OTJActivityType.objects.filter(is_active=True),
        empty_label="Choose…",
        help_text="Progress reviews, assessments and exams, and English and maths are recorded but never count "
        "towards the minimum.",
    )
    description = forms.CharField(
        label="What you did and what you learned",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"At least {settings.OTJ_MIN_DESCRIPTION_WORDS} words. Auditors reject vague descriptions.",
    )
    ksbs = KSBChoiceField(
        label="KSBs it developed",
        queryset=KSB.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="At least one for activities that count.",
    )
    module_run = ModuleRunField(
        label="Module", queryset=ModuleRun.objects.none(), required=False, empty_label="Not part of a module"
    )
    evidence = forms.ModelChoiceField(
        label="Portfolio evidence it led to", queryset=None, required=False, empty_label="None"
    )

    def __init__(self, *args, enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ksbs"].queryset = KSB.objects.filter(
            standard_id=enrolment.programme.standard_id
        ).order_by("order", "code")
        self.fields["module_run"].queryset = ModuleRun.objects.filter(
            cohort_id=enrolment.cohort_id
        ).select_related("module")
        self.fields["evidence"].queryset = enrolment.evidence.select_related("current").order_by(
            "-created_at"
        )
        self.fields["evidence"].label_from_instance = lambda e: (
            e.current.title if e.current else f"Evidence {e.pk}"
        )
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if not self.is_bound and "date" not in self.initial:
            self.initial["date"] = timezone.localdate()


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class LedgerFilterForm(forms.Form):
    month = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "month"}), label="Month")
    status = forms.ChoiceField(required=False, choices=[("", "All")] + OffTheJobEntry.Status.choices)
    activity_type = forms.ChoiceField(required=False, label="Kind of activity")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].choices = [("", "All")] + list(
            OTJActivityType.objects.values_list("code", "name")
        )

    def clean_month(self) -> str:
        month = self.cleaned_data["month"].strip()
        year, _, number = month.partition("-")
        if month and not (len(year) == 4 and year.isdigit() and number.isdigit() and 1 <= int(number) <= 12):
            raise forms.ValidationError("Enter a month as YYYY-MM.")
        return month
