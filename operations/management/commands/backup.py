import json
from collections import Counter

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import connection, models, transaction
from django.utils import timezone

FORMAT = "magazine-backup"
VERSION = 1

# Rebuilt by `migrate` on every database, or worthless after a restore.
EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


def backed_up_models():
    """Every concrete model holding content, parents before children."""
    from django.core.serializers import sort_dependencies

    app_list = {config: None for config in apps.get_app_configs() if config.models_module}
    ordered = sort_dependencies(app_list.items(), allow_cycles=True)
    return [m for m in ordered if m._meta.label_lower not in EXCLUDED and not m._meta.proxy and m._meta.managed]


def media_references():
    """(model, pk, field, name) of every stored file that a row points at."""
    refs = []
    for model in backed_up_models():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for field in file_fields:
            rows = model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
            for pk, name in rows.values_list("pk", field.name):
                refs.append({"model": model._meta.label_lower, "pk": pk, "field": field.name, "name": name})
    return refs


class Command(BaseCommand):
    help = (
        "Write every row of content (lists, entries, films, moods, hashtags, users …) "
        "and the list of media files they refer to, as one JSON document. Media files "
        "themselves live in the media storage and are backed up with it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be written; write nothing.")

    def handle(self, *args, output=None, dry_run=False, **options):
        # One snapshot, so rows added while the backup runs cannot leave a
        # child without its parent. PostgreSQL reads each statement at a new
        # moment unless the transaction asks for repeatable read first; SQLite
        # transactions are already a single snapshot.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            counts = Counter()
            objects = []
            for model in backed_up_models():
                queryset = model._default_manager.order_by("pk")
                counts[model._meta.label_lower] = queryset.count()
                if not dry_run:
                    objects.extend(
                        json.loads(serializers.serialize("json", queryset.iterator(), use_natural_foreign_keys=True))
                    )
            media = media_references()
        summary = f"{sum(counts.values())} rows in {len(counts)} tables, {len(media)} media references"
        if dry_run:
            for label, n in sorted(counts.items()):
                self.stdout.write(f"{label}: {n}")
            self.stdout.write(f"Would write {summary}.")
            return
        document = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "counts": dict(sorted(counts.items())),
            "media": media,
            "objects": objects,
        }
        text = json.dumps(document, ensure_ascii=False, indent=1)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stderr.write(self.style.SUCCESS(f"Wrote {summary} to {output}."))
        else:
            self.stdout.write(text)
            self.stderr.write(f"Wrote {summary}.")
