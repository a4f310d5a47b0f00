"""
/sitemap.xml: published lists, public films, moods, hashtags, people and studios, each with the time
of its latest real change. Every section is one query (plus the paginator's
count), however many rows it holds. Search results and the admin are left out.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import sitemaps
from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from articles.models import Article, Entry, Hashtag
from films.models import Film, Mood, Person, Studio


class Sitemap(sitemaps.Sitemap):
    """Addresses on SITE_URL; Django's default is the host and scheme of the request."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return (
            Article.objects.published()
            .with_modified_at()
            .only("slug", "updated_at", "published_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.modified_at


class FilmSitemap(Sitemap):
    """A film's page also changes when a list ranking it is published ("Ranked in")."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        newest_list = (
            Entry.objects.published().filter(film=OuterRef("pk"))
            .order_by("-article__published_at").values("article__published_at")[:1]
        )
        return (
            Film.objects.public().annotate(
                # Coalesce: SQLite's MAX() of a NULL is NULL.
                lastmod=Greatest("updated_at", Coalesce(Subquery(newest_list), "updated_at"))
            )
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.lastmod


class MoodSitemap(Sitemap):
    """Moods with public films; a mood's page changes when one of them does."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            Mood.objects.annotate(
                lastmod=Max(
                    "tagged_films__content_object__updated_at",
                    filter=Q(tagged_films__content_object__in=Film.objects.public().values("pk")),
                )
            )
            .filter(lastmod__isnull=False)
            .order_by("name")
        )

    def lastmod(self, item):
        return item.lastmod


class HashtagSitemap(Sitemap):
    """Hashtags with at least one published list; lastmod is their newest list's."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        newest = Article.objects.published().filter(hashtags=OuterRef("pk")).with_modified_at().order_by("-modified_at")
        return (
            Hashtag.objects.annotate(lastmod=Subquery(newest.values("modified_at")[:1]))
            .filter(lastmod__isnull=False)
            .order_by("name")
        )

    def lastmod(self, item):
        return item.lastmod


class CatalogueSitemap(Sitemap):
    """
    People and studios with public films (a page with none says only
    "No films yet"); lastmod is their newest public film's change, which is
    what their page shows.
    """

    changefreq = "monthly"
    priority = 0.4
    model = None

    def items(self):
        return (
            self.model.objects.annotate(
                lastmod=Max("films__updated_at", filter=Q(films__in=Film.objects.public()))
            )
            .filter(lastmod__isnull=False)
            .only("slug")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.lastmod


class PersonSitemap(CatalogueSitemap):
    model = Person


class StudioSitemap(CatalogueSitemap):
    model = Studio


class SectionSitemap(Sitemap):
    """Home and the archive: they change whenever a list is published or edited."""

    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["home", "articles:list", "films:mood_list"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        if not hasattr(self, "_latest"):
            self._latest = (
                Article.objects.published().with_modified_at().aggregate(latest=Max("modified_at"))["latest"]
            )
        return self._latest


sitemaps = {
    "sections": SectionSitemap,
    "lists": ArticleSitemap,
    "films": FilmSitemap,
    "moods": MoodSitemap,
    "hashtags": HashtagSitemap,
    "people": PersonSitemap,
    "studios": StudioSitemap,
}
