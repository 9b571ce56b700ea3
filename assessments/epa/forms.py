"""Forms for gateway, the end-point assessment and completion records (the rules live in the services)."""

from django import forms

from assessments.epa import grading as epa
from assessments.epa.models import EnglishMathsEvidence, EPAEvent
from core.uploads import human_size


class EnglishMathsForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is recorded", choices=EnglishMathsEvidence.Kind.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label="Details",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The qualifications and grades seen (e.g. GCSE English B and maths C, 2004), or why the "
        "rules exempt the apprentice.",
    )


class SBPAgreementForm(forms.Form):
    title = forms.CharField(label="Title of the strategic business proposal", max_length=200)
    scope = forms.CharField(
        label="Scope",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="At most 500 words. Changing the title or scope means the employer and the assessment "
        "organisation agree it again.",
    )


class AssessorForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label="Independent assessor", queryset=None, empty_label="Choose an assessor"
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = candidates
        self.fields["assessor"].label_from_instance = lambda user: f"{user.full_name} ({user.organisation})"


class SBPSubmissionForm(forms.Form):
    file = forms.FileField(label="The proposal (PDF)", help_text="")
    word_count = forms.IntegerField(
        label="Word count", min_value=0, help_text="4,000 words ±10%: between 3,600 and 4,400."
    )
    senior_signoff = forms.CharField(
        label="Evidence of senior sign-off",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who signed the proposal off (the board or a senior leader), their role, and when.",
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"A PDF of up to {human_size(max_bytes)}."


class EPAEventForm(forms.Form):
    kind = forms.ChoiceField(label="Assessment", choices=EPAEvent.Kind.choices)
    scheduled_at = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="The presentation needs at least 4 weeks' notice.",
    )
    location = forms.CharField(label="Where", max_length=200, required=False)


class EPAResultForm(forms.Form):
    method = forms.ChoiceField(label="Assessment method", choices=list(epa.METHOD_LABELS.items()))
    kind = forms.ChoiceField(
        label="Attempt",
        choices=[
            (epa.FIRST, "First attempt"),
            (epa.RESIT, "Re-sit (no further learning) — capped at pass"),
            (epa.RETAKE, "Re-take (after further learning) — capped at pass"),
        ],
    )
    grade = forms.ChoiceField(label="Grade", choices=list(epa.GRADE_LABELS.items()), widget=forms.RadioSelect)
    assessed_on = forms.DateField(
        label="Date assessed", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    comments = forms.CharField(label="Comments", widget=forms.Textarea(attrs={"rows": 6}))
    employer_agreement = forms.CharField(
        label="Employer's agreement (re-sit or re-take)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Who at the employer agreed to the re-sit or re-take, and when.",
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason for revoking",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept with the record. Anyone verifying the certificate is told it has been revoked.",
    )


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label="The certificate PDF", help_text="We compare it byte for byte with the copy that was issued."
    )
