"""Load the demo described in api.md (see demo/loader.py). Idempotent: running it again changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand

from demo.catalogue import PASSWORD
from demo.loader import DemoLoader


class Command(BaseCommand):
    help = (
        "Load the demo data (accounts, employers, ST0480 programme, cohorts, enrolments). Safe to run twice."
    )

    def handle(self, *args, **options):
        created = DemoLoader().run()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready ({created} new records). Sign in at {settings.SITE_URL}/ with any @demo.test account, "
                f"password '{PASSWORD}'."
            )
        )
