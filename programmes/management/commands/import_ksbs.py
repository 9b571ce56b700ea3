"""Import a standard's KSB statements from CSV (code,statement) or the published JSON shape."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.errors import DomainError
from programmes.models import Standard
from programmes.services import ksb_import, ksb_rows_from_csv, ksb_rows_from_json


class Command(BaseCommand):
    help = (
        "Import KSBs for a standard version. CSV needs 'code' and 'statement' columns; JSON may be the published "
        "standard (referenceNumber, version, title, level, knowledges/skills/behaviours) or a list of "
        "{code, statement}. Any bad line rolls back the whole import."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version here means the standard's version; it replaces Django's own --version flag for this command.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV or JSON file")
        parser.add_argument("--standard", help="Standard code, e.g. ST0480 (read from the JSON if omitted)")
        parser.add_argument("--version", dest="standard_version", help="Standard version, e.g. 1.2")
        parser.add_argument("--title", help="Title, when the standard version does not exist yet")
        parser.add_argument("--level", type=int, help="Level, when the standard version does not exist yet")
        parser.add_argument("--source", default="", help="Where the statements came from (shown to users)")

    def handle(self, *args, path, standard, standard_version, title, level, source, **options):
        file = Path(path)
        if not file.exists():
            raise CommandError(f"No such file: {path}")
        text = file.read_text(encoding="utf-8-sig")
        meta: dict = {}
        try:
            if file.suffix.lower() == ".json":
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as error:
                    raise CommandError(f"{path} is not valid JSON: {error}") from None
                if isinstance(data, dict):
                    meta = data
                rows = ksb_rows_from_json(data)
            else:
                rows = ksb_rows_from_csv(text)
            code = standard or meta.get("referenceNumber") or meta.get("code")
            version = standard_version or (str(meta["version"]) if meta.get("version") is not None else None)
            if not code or not version:
                raise CommandError(
                    "Give --standard and --version (or include referenceNumber and version in JSON)."
                )
            with transaction.atomic():
                standard_obj = Standard.objects.filter(code=code, version=version).first()
                if standard_obj is None:
                    title = title or meta.get("title")
                    level = level or meta.get("level")
                    if not title or not level:
                        raise CommandError(
                            f"Standard {code} v{version} does not exist; give --title and --level to create it."
                        )
                    standard_obj = Standard.objects.create(
                        code=code, version=version, title=title, level=int(level)
                    )
                if source:
                    standard_obj.ksb_source = source
                    standard_obj.save(update_fields=["ksb_source"])
                result = ksb_import(standard=standard_obj, rows=rows)
        except DomainError as error:
            raise CommandError(f"Nothing was imported. {error.message}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{standard_obj.code} v{standard_obj.version}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )
