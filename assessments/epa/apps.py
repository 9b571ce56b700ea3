from django.apps import AppConfig


class EpaConfig(AppConfig):
    """Gateway, the end-point assessment, completion records and their public verification."""

    name = "assessments.epa"
    label = "epa"
    verbose_name = "End-point assessment"
