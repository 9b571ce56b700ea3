from django import forms
from django.utils import timezone

from tutors.models import ReviewAction, ReviewKSBRating
from tutors.services import ActionInput, RatingInput, ReviewFields

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = {"rows": 4}
ACTION_ROWS = 3  # blank rows offered beyond the actions already written


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text="UK time.",
        error_messages={
            "required": "Enter the date and time of the review.",
            "invalid": "Enter a date and time.",
        },
    )
    duration_minutes = forms.IntegerField(label="Length in minutes", min_value=15, max_value=480, initial=60)
    location = forms.CharField(
        label="Place",
        max_length=200,
        required=False,
        help_text="Where you will meet, e.g. the employer's office.",
    )
    video_link = forms.URLField(
        label="Video link",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="For a meeting online, e.g. a Teams link.",
    )


class ReviewForm(forms.Form):
    """Everything a review records. KSB ratings, new actions and the ticks for earlier actions are added per row."""

    held_on = forms.DateField(label="Date the review was held", widget=DATE, required=False)
    training_since = forms.CharField(
        label="Training since the last review", widget=forms.Textarea(attrs=TEXT), required=False
    )
    otj_replan = forms.CharField(
        label="Off-the-job re-plan",
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        help_text="Required when off-the-job training is behind: how the hours will be made up, and by when.",
    )
    progress = forms.CharField(
        label="Progress against the training plan and KSBs", widget=forms.Textarea(attrs=TEXT), required=False
    )
    modules = forms.CharField(label="Modules", widget=forms.Textarea(attrs=TEXT), required=False)
    support_needs = forms.CharField(label="Support needs", widget=forms.Textarea(attrs=TEXT), required=False)
    wellbeing = forms.CharField(label="Wellbeing", widget=forms.Textarea(attrs=TEXT), required=False)
    safeguarding_concern = forms.CharField(
        label="Safeguarding concern",
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        help_text="Seen only by you and the programme director; not shown to the apprentice or line manager.",
    )
    circumstances = forms.CharField(
        label="Changes of circumstance", widget=forms.Textarea(attrs=TEXT), required=False
    )
    next_review_on = forms.DateField(label="Next review date", widget=DATE, required=False)

    def __init__(self, *args, ksbs, previous_actions, action_rows: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.ksbs, self.previous_actions, self.action_rows = list(ksbs), list(previous_actions), action_rows
        for ksb in self.ksbs:
            self.fields[f"rating_{ksb.pk}"] = forms.ChoiceField(
                label=f"{ksb.code} rating",
                required=False,
                choices=[("", "Not rated")] + ReviewKSBRating.Rating.choices,
            )
            self.fields[f"comment_{ksb.pk}"] = forms.CharField(
                label=f"{ksb.code} comment", required=False, widget=forms.TextInput()
            )
        for action in self.previous_actions:
            self.fields[f"previous_{action.pk}"] = forms.BooleanField(
                label=f"Done: {action.description}", required=False
            )
        for n in range(action_rows):
            self.fields[f"action_{n}_description"] = forms.CharField(
                label=f"Action {n + 1}: what will be done",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"action_{n}_owner"] = forms.ChoiceField(
                label=f"Action {n + 1}: owner",
                required=False,
                choices=[("", "Choose")] + ReviewAction.Owner.choices,
            )
            self.fields[f"action_{n}_due_on"] = forms.DateField(
                label=f"Action {n + 1}: due by", required=False, widget=DATE
            )

    def rating_rows(self):
        return [(ksb, self[f"rating_{ksb.pk}"], self[f"comment_{ksb.pk}"]) for ksb in self.ksbs]

    def previous_rows(self):
        return [(action, self[f"previous_{action.pk}"]) for action in self.previous_actions]

    def action_fields(self):
        return [
            (n + 1, self[f"action_{n}_description"], self[f"action_{n}_owner"], self[f"action_{n}_due_on"])
            for n in range(self.action_rows)
        ]

    def clean(self):
        data = super().clean()
        for n in range(self.action_rows):
            description = (data.get(f"action_{n}_description") or "").strip()
            owner, due_on = data.get(f"action_{n}_owner"), data.get(f"action_{n}_due_on")
            if not description and not owner and not due_on:
                continue
            if not description:
                self.add_error(f"action_{n}_description", "Describe the action.")
            if not owner:
                self.add_error(f"action_{n}_owner", "Choose who owns the action.")
            if not due_on:
                self.add_error(f"action_{n}_due_on", "Give the date it is due by.")
        return data

    def values(self) -> ReviewFields:
        data = self.cleaned_data
        done_on = data.get("held_on") or timezone.localdate()
        return ReviewFields(
            held_on=data.get("held_on"),
            training_since=data.get("training_since", ""),
            otj_replan=data.get("otj_replan", ""),
            progress=data.get("progress", ""),
            modules=data.get("modules", ""),
            support_needs=data.get("support_needs", ""),
            wellbeing=data.get("wellbeing", ""),
            circumstances=data.get("circumstances", ""),
            safeguarding_concern=data.get("safeguarding_concern", ""),
            next_review_on=data.get("next_review_on"),
            ratings=[
                RatingInput(ksb.pk, data[f"rating_{ksb.pk}"], data.get(f"comment_{ksb.pk}", ""))
                for ksb in self.ksbs
                if data.get(f"rating_{ksb.pk}")
            ],
            actions=[
                ActionInput(
                    data[f"action_{n}_description"], data[f"action_{n}_owner"], data[f"action_{n}_due_on"]
                )
                for n in range(self.action_rows)
                if (data.get(f"action_{n}_description") or "").strip()
            ],
            previous_actions_done={
                action.pk: (done_on if data.get(f"previous_{action.pk}") else None)
                for action in self.previous_actions
            },
        )


class DeclineForm(forms.Form):
    comment = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The practice tutor reads this, corrects the record and asks everyone to sign again.",
        error_messages={"required": "Say what needs to change."},
    )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Correction",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The signed review does not change; this correction is kept beside it and signed by all three.",
        error_messages={"required": "Write the correction."},
    )
