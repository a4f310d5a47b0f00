import django.db.models.deletion
from django.db import migrations, models

from core.text import match_key

BATCH = 1000


def fill_titles(apps, schema_editor):
    """One FilmTitle row per title of every existing film, as Film.save() writes them."""
    Film = apps.get_model("films", "Film")
    FilmTitle = apps.get_model("films", "FilmTitle")
    rows = []
    films = Film.objects.values_list("pk", "title", "romanized_title", "native_title", "other_titles")
    for pk, title, romanized, native, other in films.iterator(chunk_size=BATCH):
        # Frozen copy of Film.titles_by_kind(): a migration cannot call model methods.
        named = [("english", title), ("romanized", romanized), ("native", native)]
        named += [("other", line) for line in other.splitlines()]
        named = [(kind, text.strip()) for kind, text in named if text and text.strip()]
        rows += [
            FilmTitle(film_id=pk, position=i, kind=kind, title=text, key=match_key(text))
            for i, (kind, text) in enumerate(named)
        ]
        if len(rows) >= BATCH:
            FilmTitle.objects.bulk_create(rows)
            rows = []
    FilmTitle.objects.bulk_create(rows)


def fill_title_keys(apps, schema_editor):
    """Back to the pipe-joined keys: "|key one|key two|", each key once."""
    Film = apps.get_model("films", "Film")
    FilmTitle = apps.get_model("films", "FilmTitle")
    keys = {}
    for film_id, key in FilmTitle.objects.order_by("film_id", "position").values_list("film_id", "key").iterator():
        if key:
            keys.setdefault(film_id, {})[key] = None
    films = []
    for film in Film.objects.only("pk").iterator(chunk_size=BATCH):
        film.title_keys = "|" + "|".join(keys.get(film.pk, ())) + "|"
        films.append(film)
    Film.objects.bulk_update(films, ["title_keys"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ('films', '0002_mood_case_insensitive_constraint_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='FilmTitle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(help_text="Order among the film's titles, English first.")),
                ('kind', models.CharField(choices=[('english', 'English title'), ('romanized', 'Romanized title'), ('native', 'Native title'), ('other', 'Other title')], max_length=20)),
                ('title', models.TextField()),
                ('key', models.TextField(help_text='The title with case, accents, punctuation and spaces left out.')),
                ('film', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='titles', to='films.film')),
            ],
            options={
                'ordering': ['film', 'position'],
                'indexes': [models.Index(fields=['key', 'film'], name='filmtitle_key_film')],
                'constraints': [models.UniqueConstraint(fields=('film', 'position'), name='one_film_title_per_position')],
            },
        ),
        migrations.RunPython(fill_titles, fill_title_keys),
        migrations.RemoveField(
            model_name='film',
            name='title_keys',
        ),
    ]
