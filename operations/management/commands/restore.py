import json
import os
import tempfile

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from .backup import FORMAT, VERSION, backed_up_models


class Command(BaseCommand):
    help = (
        "Load a file written by `backup` into an empty, migrated database (run "
        "`migrate` first). All or nothing: on any error no row is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file.")
        parser.add_argument(
            "--force", action="store_true",
            help="Load even though the database already holds content (rows with the "
            "same primary key are overwritten; others are kept).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and say what would be loaded.")

    def handle(self, *args, path, force=False, dry_run=False, **options):
        try:
            with open(path, encoding="utf-8") as fh:
                document = json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        if not isinstance(document, dict) or (document.get("format"), document.get("version")) != (FORMAT, VERSION):
            raise CommandError(f"{path} is not a {FORMAT} version {VERSION} file.")

        # Users made by `migrate` or by hand count as content too: restoring on
        # top of them would silently mix two sites.
        occupied = {
            m._meta.label_lower: n
            for m in backed_up_models()
            if (n := m._default_manager.count())
        }
        if occupied and not force:
            listing = ", ".join(f"{label} ({n})" for label, n in sorted(occupied.items()))
            raise CommandError(
                f"The database is not empty: {listing}. Restore into an empty database, "
                "or pass --force to load on top."
            )
        objects = document["objects"]
        missing = [ref["name"] for ref in document["media"] if not default_storage.exists(ref["name"])]
        if dry_run:
            self.stdout.write(
                f"Would load {len(objects)} rows; {len(document['media'])} media references, "
                f"{len(missing)} of them missing from the media storage."
            )
            return
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as tmp:
            json.dump(objects, tmp, ensure_ascii=False)
        try:
            # loaddata resolves forward references and resets PostgreSQL's
            # sequences, so new rows after a restore get fresh ids.
            with transaction.atomic():
                call_command("loaddata", tmp.name, verbosity=0)
        finally:
            os.unlink(tmp.name)
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(objects)} rows from {path}."))
        for name in missing:
            self.stdout.write(self.style.WARNING(f"Media file missing from storage: {name}"))
