from django.apps import AppConfig


class OTJConfig(AppConfig):
    """The off-the-job training ledger and the OTJ minimum policy (a capability of the portfolio)."""

    name = "portfolios.otj"
    label = "otj"
    verbose_name = "Off-the-job training"
