"""Forms for the training plan: the director's fields of a draft (signing uses ``core.signatures.forms``)."""

from decimal import Decimal

from django import forms

from programmes.forms import DATE


class TrainingPlanForm(forms.Form):
    """What the director writes in the plan; parties, schedule and the OTJ plan are generated from the records."""

    epao_name = forms.CharField(
        label="End-point assessment organisation",
        max_length=200,
        required=False,
        help_text="Must be named at least 6 months before the planned end date.",
    )
    planned_end_date = forms.DateField(
        label="Planned end date",
        widget=DATE,
        help_text="End of the practical period. Changing it needs all three signatures again.",
    )
    contracted_weekly_hours = forms.DecimalField(
        label="Contracted weekly hours", min_value=Decimal("1"), max_value=Decimal("48"), decimal_places=2
    )
    prior_learning_hours = forms.DecimalField(
        label="Recognised prior learning (hours)",
        min_value=Decimal("0"),
        max_value=Decimal("9999.99"),
        decimal_places=2,
        help_text="Reduces the planned off-the-job hours.",
    )
    prior_learning_notes = forms.CharField(
        label="Prior learning: what was recognised and how",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    apprentice_commitments = forms.CharField(
        label="The apprentice commits to", widget=forms.Textarea(attrs={"rows": 4})
    )
    employer_commitments = forms.CharField(
        label="The employer commits to", widget=forms.Textarea(attrs={"rows": 4})
    )
    provider_commitments = forms.CharField(
        label="The university (provider) commits to", widget=forms.Textarea(attrs={"rows": 4})
    )
    support = forms.CharField(label="Support arrangements", widget=forms.Textarea(attrs={"rows": 3}))
    complaints = forms.CharField(label="How to complain", widget=forms.Textarea(attrs={"rows": 3}))
    change_summary = forms.CharField(
        label="What changed and why",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Required for a revision; kept with the new version and shown to the signers.",
    )
