from django.apps import AppConfig


class TrainingPlansConfig(AppConfig):
    name = "programmes.training_plans"
    label = "training_plans"
    verbose_name = "Training plans"

    def ready(self) -> None:
        from programmes.training_plans import receivers  # noqa: F401 - connects the signal receivers
