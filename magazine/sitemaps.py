"""
/sitemap.xml: a sitemap index naming one sitemap per section and page
(/sitemap-films.xml?p=2 …): published lists, public films, moods, hashtags, people and studios, each
with the time of its latest real change. Search engines take at most 50,000
addresses a file; pages of SECTION_SIZE keep each answer quick at magazine
scale. Every section page is one query (plus the paginator's count), however
many rows it holds. Search results and the admin are left out.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import sitemaps
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Exists, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template.response import TemplateResponse
from django.urls import reverse

import pagecache
from articles.models import Article, Entry, Hashtag
from core.site import absolute_url
from films.models import Film, Mood, Person, Studio, TaggedFilm

SECTION_SIZE = 5000


class Sitemap(sitemaps.Sitemap):
    """Addresses on SITE_URL; Django's default is the host and scheme of the request."""

    limit = SECTION_SIZE

    def get_urls(self, *args, **kwargs):
        pagecache.shows("sitemap")
        return super().get_urls(*args, **kwargs)

    def get_latest_lastmod(self):
        # The index may leave a section's lastmod out; Django's default would
        # load every row of every section to find it.
        return None

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
            Entry.objects.published()
            .filter(film=OuterRef("pk"))
            .order_by("-article__published_at")
            .values("article__published_at")[:1]
        )
        return (
            Film.objects.public()
            .annotate(
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
        # Exists() rather than filtering on the aggregate: the paginator's
        # count then skips the grouping (0.6 s at 50,000 films).
        public_tagged = TaggedFilm.objects.filter(Film.objects.public_condition("content_object__"))
        return (
            Mood.objects.filter(Exists(public_tagged.filter(tag=OuterRef("pk"))))
            .annotate(
                lastmod=Subquery(
                    public_tagged.filter(tag=OuterRef("pk"))
                    .order_by("-content_object__updated_at")
                    .values("content_object__updated_at")[:1]
                )
            )
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
        # Filtered on the stored count (less the unpublished lists), so the
        # paginator's count reads one row a hashtag and needs no lastmod
        # (5.7 s at 10,000 lists on the lastmod subquery; 21 ms on Exists()).
        return (
            Hashtag.objects.with_list_counts()
            .filter(num_lists__gt=0)
            .annotate(lastmod=Subquery(newest.values("modified_at")[:1]))
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

    film_relation = None  # how a film names this model

    def items(self):
        # Exists() for the filter, so the paginator's count skips the lastmod
        # over every credit (0.5 s at 50,000 films when it filtered on it).
        # A subquery rather than Max(): no GROUP BY, so the count drops it.
        films = Film.objects.public().filter(**{self.film_relation: OuterRef("pk")})
        newest = films.order_by("-updated_at").values("updated_at")[:1]
        return self.model.objects.filter(Exists(films)).annotate(lastmod=Subquery(newest)).only("slug").order_by("pk")

    def lastmod(self, item):
        return item.lastmod


class PersonSitemap(CatalogueSitemap):
    model = Person
    film_relation = "people"


class StudioSitemap(CatalogueSitemap):
    model = Studio
    film_relation = "studios"


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
            self._latest = Article.objects.published().with_modified_at().aggregate(latest=Max("modified_at"))["latest"]
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


@x_robots_tag
def sitemap_index(request):
    """
    /sitemap.xml, naming every section page on SITE_URL (Django's own index
    view names them on the request's Host). One count query per section.
    """
    pagecache.shows("sitemap")
    items = []
    for section, sitemap_class in sitemaps.items():
        url = absolute_url(request, reverse("sitemap_section", kwargs={"section": section}))
        items.append(SitemapIndexItem(url, None))
        pages = sitemap_class().paginator.num_pages
        items += [SitemapIndexItem(f"{url}?p={page}", None) for page in range(2, pages + 1)]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")
