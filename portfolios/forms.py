"""Forms for portfolio evidence, tutor feedback and share links; the rules live in portfolios.services."""

from django import forms
from django.conf import settings

from core.uploads import ALLOWED_DESCRIPTION, human_size
from portfolios.models import Evidence, Feedback
from programmes.models import KSB

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class KSBChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: KSB) -> str:
        return f"{obj.code}: {obj.statement}"


class EvidenceForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(label="Type of evidence", choices=Evidence.Kind.choices)
    occurred_on = forms.DateField(label="Date of the activity", widget=DATE)
    reflection = forms.CharField(
        label="Reflective account",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you did, what you learned, and which KSBs it shows and how.",
    )
    ksbs = KSBChoiceField(
        label="KSBs this evidence shows",
        queryset=KSB.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose at least one before submitting for review.",
    )
    files = MultipleFileField(
        label="Files",
        required=False,
        widget=MultipleFileInput(attrs={"data-max-bytes": settings.UPLOAD_MAX_BYTES}),
    )

    def __init__(self, *args, standard, existing_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ksbs"].queryset = KSB.objects.filter(standard=standard).order_by("order", "code")
        limit = human_size(settings.UPLOAD_MAX_BYTES)
        self.fields["files"].help_text = f"{ALLOWED_DESCRIPTION}; up to {limit} each, 10 files at most."
        if existing_files:
            self.fields["remove_files"] = forms.MultipleChoiceField(
                label="Remove files",
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(f.pk, f.name) for f in existing_files],
            )


class FeedbackForm(forms.Form):
    decision = forms.ChoiceField(choices=Feedback.Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Required when asking for more work; the apprentice sees it.",
    )

    def __init__(self, *args, ksbs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.ksbs = list(ksbs)
        for ksb in self.ksbs:
            self.fields[f"agree_{ksb.pk}"] = forms.ChoiceField(
                label=f"{ksb.code}: does the evidence show it?",
                choices=[("yes", "Agree"), ("no", "Disagree")],
                required=False,
                widget=forms.RadioSelect,
                help_text="If you leave it, accepting agrees and asking for more work does not.",
            )
            self.fields[f"comment_{ksb.pk}"] = forms.CharField(
                label=f"Comment on {ksb.code}", required=False, widget=forms.TextInput
            )


class ShareForm(forms.Form):
    recipient = forms.CharField(
        label="Who the link is for",
        max_length=200,
        help_text="e.g. the independent assessor's name and email.",
    )
    days = forms.IntegerField(label="Link lasts (days)", min_value=1, max_value=90, initial=28)
