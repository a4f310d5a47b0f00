import json
import os
import tempfile

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.tag_uses import recount_all

from .backup import FORMAT, VERSION, backed_up_models


class Command(BaseCommand):
    help = (
        "Load a file written by `backup` into an empty, migrated database (run "
        "`migrate` first). All or nothing: on any error no row is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file.")
        parser.add_argument(
            "--force",
            action="store_true",
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

        objects = document["objects"]
        # `migrate` itself writes rows (the Moderators group), so a freshly
        # migrated database is not empty. A row the backup holds too (same
        # natural key: a group's name, a user's username) is that row, and is
        # overwritten in place. Anything else is content, and restoring on top
        # of it would silently mix two sites.
        same = adopt_existing_rows(objects)
        occupied = {
            m._meta.label_lower: n
            for m in backed_up_models()
            if (n := m._default_manager.count() - same.get(m._meta.label_lower, 0))
        }
        if occupied and not force:
            listing = ", ".join(f"{label} ({n})" for label, n in sorted(occupied.items()))
            raise CommandError(
                f"The database is not empty: {listing}. Restore into an empty database, or pass --force to load on top."
            )
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
                # loaddata's raw saves send no tagging signal: count each tag's uses again.
                recount_all()
        finally:
            os.unlink(tmp.name)
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(objects)} rows from {path}."))
        for name in missing:
            self.stdout.write(self.style.WARNING(f"Media file missing from storage: {name}"))


def adopt_existing_rows(objects):
    """
    Give each backed-up row whose natural key (a group's name, a user's name)
    already exists in the database that row's primary key, so that loading
    updates it instead of colliding with it. References to such rows are
    written by natural key (see backup), so no other row points at the old
    key. Returns how many rows were adopted, by model label.
    """
    adopted = {}
    for obj in objects:
        model = apps.get_model(obj["model"])
        manager = model._default_manager
        if not (hasattr(model, "natural_key") and hasattr(manager, "get_by_natural_key")):
            continue
        plain = {
            f.attname: obj["fields"][f.name]
            for f in model._meta.concrete_fields
            if f.name in obj["fields"] and not f.is_relation
        }
        try:
            existing = manager.get_by_natural_key(*model(**plain).natural_key())
        except (model.DoesNotExist, AttributeError, TypeError, ValueError):
            continue
        obj["pk"] = existing.pk
        adopted[obj["model"]] = adopted.get(obj["model"], 0) + 1
    return adopted
