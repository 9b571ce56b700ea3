"""Forms for reporting: a director's RAG override, with the reason that is kept."""

from django import forms

from reporting.models import RAG

CHOICES = [
    (RAG.RED, "Red"),
    (RAG.AMBER, "Amber"),
    (RAG.GREEN, "Green"),
    ("", "Remove the override (use the computed rating)"),
]


class RAGOverrideForm(forms.Form):
    rag = forms.ChoiceField(label="Rating", choices=CHOICES, required=False, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the rating differs from the computed one (or why the override is removed). "
        "Kept with your name and the time for the auditor.",
    )
