"""
`make bench`: what each kind of change costs readers, counted page by page.

An archive is seeded (`seed_scale`, BENCH_INVALIDATION_LISTS lists of 20
entries, 5 films per list, 10 comments per list), every public page of a
sample of it is warmed (home, the archive's first pages, every list, a film,
person and studio of each list, every hashtag and mood, the feeds and the
sitemap), then each change below is made and committed as an editor,
moderator or cataloguer would make it, and the sample is read again: a page
answered with no query was still a hit; one that queried was retired. The
sample is warmed again between changes.

Counting, not timing, so the figures hold on any machine. Run on the
zero-setup stack (SQLite, local memory) or on the production one
(DATABASE_URL, REDIS_URL): the same code decides. Before invalidation by key,
every one of these changes retired every page (one site-wide generation).

    .venv/bin/python bench/invalidation.py [--lists N] [--storm N]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magazine.settings.test")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--lists", type=int, default=int(os.environ.get("BENCH_INVALIDATION_LISTS", 150)))
    parser.add_argument("--storm", type=int, default=10, help="comments approved on one list in the storm")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    settings.PAGECACHE_RETIRE_IN_TRANSACTION = False  # real commits, as in production
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    from django.db import connection

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def run(args):
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from articles.models import Article, Entry, Hashtag
    from articles.services import article_publish, article_unpublish, entries_save_in_order
    from comments.models import Comment
    from comments.services import comments_moderate
    from films.models import Film, Mood, Person

    started = time.perf_counter()
    call_command(
        "seed_scale",
        lists=args.lists,
        films=args.lists * 5,
        comments=args.lists * 10,
        entries=20,
        stdout=open(os.devnull, "w"),
    )
    cache.clear()
    seeded = time.perf_counter() - started
    client = Client()
    lists = list(Article.objects.published().order_by("-published_at")[: args.lists])
    urls = [reverse("home"), reverse("feeds:latest_rss"), "/sitemap.xml", reverse("films:mood_list")]
    urls += [f"{reverse('articles:list')}?page={n}" if n > 1 else reverse("articles:list") for n in range(1, 4)]
    for article in lists:
        urls.append(article.get_absolute_url())
        entry = article.entries.select_related("film").order_by("rank").first()
        if entry:
            urls.append(entry.film.get_absolute_url())
            credit = entry.film.credits.select_related("person").first()
            if credit:
                urls.append(credit.person.get_absolute_url())
            studio = entry.film.studios.first()
            if studio:
                urls.append(studio.get_absolute_url())
    urls += [h.get_absolute_url() for h in Hashtag.objects.published()]
    urls += [m.get_absolute_url() for m in Mood.objects.all()[:40]]
    urls = list(dict.fromkeys(urls))

    def answer(url):
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(url).status_code
        return status, len(ctx.captured_queries)

    def warm():
        for url in urls:
            answer(url)

    def retired():
        return [url for url in urls if answer(url)[1] > 0]

    old = lists[-1]  # the oldest of the sample: not on the home page
    recent = lists[1]
    film = Film.objects.filter(entries__article=old).first()
    person = Person.objects.filter(credits__film__entries__article=old).first()
    mood = Mood.objects.filter(tagged_films__content_object__entries__article=old).first()
    hashtag = old.hashtags.first()

    def approve_comment():
        held = Comment.objects.create(
            article=recent, name="Reader", email="r@example.com", body="Lovely.", is_public=False
        )
        comments_moderate(comments=Comment.objects.filter(pk=held.pk), action="approve", moderator=None)

    def fix_typo():
        entry = old.entries.order_by("rank").last()
        entry.write_up += " (Corrected.)"
        entry.save()

    def move_entry():
        entries = list(old.entries.order_by("rank"))
        entries_save_in_order(article=old, entries=[entries[-1], *entries[:-1]])

    def rename(obj, field):
        def change():
            row = type(obj).objects.get(pk=obj.pk)
            setattr(row, field, getattr(row, field) + " Revised")
            row.save()

        return change

    draft = Article.objects.create(
        title="Bench Draft", slug="bench-draft", status=Article.Status.DRAFT, published_at=timezone.now(), intro="…"
    )
    Entry.objects.create(article=draft, film=film, rank=1)

    def save_draft():
        row = Article.objects.get(pk=draft.pk)
        row.intro += " More."
        row.save()

    def publish():
        article_publish(article=Article.objects.get(pk=draft.pk))

    def unpublish():
        article_unpublish(article=Article.objects.get(pk=draft.pk))

    changes = [
        (
            "a held comment arrives",
            lambda: Comment.objects.create(
                article=recent, name="R", email="x@example.com", body="Hm.", is_public=False
            ),
        ),
        ("a draft is saved", save_draft),
        ("a comment is approved (a recent list)", approve_comment),
        ("a typo is fixed in an old list's write-up", fix_typo),
        ("an entry is moved in an old list", move_entry),
        ("an old list's title is corrected", rename(old, "title")),
        ("a film is renamed", rename(film, "title")),
        ("a person is renamed", rename(person, "name")),
        ("a mood is renamed", rename(mood, "name")),
        ("a hashtag is renamed", rename(hashtag, "name")),
        ("a list is published", publish),
        ("a list is unpublished", unpublish),
    ]
    rows = []
    for label, change in changes:
        warm()
        change()
        rows.append((label, len(retired())))

    warm()
    storm = []
    for _ in range(args.storm):
        approve_comment()
        storm.append(len(retired()))
        warm()

    print(f"\n## What a change retires: {args.lists} lists, {len(urls)} pages warmed (seeded in {seeded:.0f} s)\n")
    print(f"Stack: {connection.vendor}, {settings_cache_name()}.\n")
    print("| change | pages retired | of the sample | before (one generation) |")
    print("|---|---:|---:|---:|")
    for label, count in rows:
        print(f"| {label} | {count} | {count / len(urls):.1%} | {len(urls)} |")
    print(
        f"\nComment storm: {args.storm} approvals on one list; pages retired per approval: "
        f"median {statistics.median(storm):g}, max {max(storm)} (the list, and the pages showing its card's count)."
    )


def settings_cache_name():
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


if __name__ == "__main__":
    main()
