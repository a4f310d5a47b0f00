"""
Feeds of published lists: the latest, per hashtag and per mood, each in RSS
2.0 and Atom. Every feed here is a feed of lists (a mood's feed holds the
lists featuring films of that mood), so they share one item format: the
list's dek and its top three entries. That is why the mood feed lives here
and not in films/.

Each feed also has a page for people (FollowView): the "Follow" links of the
home, hashtag and mood pages open it, not the XML, which a browser shows as
code or downloads.
"""

import uuid

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.views.generic import TemplateView

import pagecache
from core.metadata import PageMetadata, PageMetadataMixin, feed_links
from core.site import absolute_url
from core.structured_data import breadcrumbs
from films.models import Mood
from slugs.views import SlugMoved, get_by_slug

from .models import Article, Entry, Hashtag
from .views import lower_case_redirect

FEED_SIZE = 20
TOP_ENTRIES = 3


def feed_items(queryset):
    """A page of published lists with what an item shows, in a fixed number of queries."""
    return (
        queryset.with_modified_at()
        .select_related("author")
        .prefetch_related(
            "hashtags",
            # Ranks run 1…n without gaps, so the top three are rank <= 3.
            Prefetch(
                "entries",
                queryset=Entry.objects.filter(rank__lte=TOP_ENTRIES).select_related("film").order_by("rank"),
                to_attr="top_entries",
            ),
        )
        .order_by("-published_at", "-pk")[:FEED_SIZE]
    )


class LatestListsFeed(Feed):
    feed_type = Rss201rev2Feed
    title = f"{settings.SITE_NAME}: the latest lists"
    description = settings.SITE_TAGLINE
    author_name = settings.SITE_NAME
    description_template = "feeds/article_description.html"
    # A stable id, not the address: a renamed slug must not look like a new item.
    item_guid_is_permalink = False
    # This feed's own URL name: its self link is built from it, on SITE_URL
    # (Django's default is the request's host, whatever the client sent).
    url_name = "feeds:latest_rss"

    def link(self):
        return absolute_url(None, reverse("articles:list"))

    def feed_url(self, obj):
        return absolute_url(None, reverse(self.url_name, args=[obj.slug] if obj is not None else []))

    def item_link(self, item):
        return absolute_url(None, item.get_absolute_url())

    def subtitle(self):
        return self.description

    def get_feed(self, obj, request):
        pagecache.shows("feeds", obj)
        return super().get_feed(obj, request)

    def items(self):
        return feed_items(Article.objects.published())

    def item_title(self, item):
        pagecache.shows(item, *item.hashtags.all())  # the item and its categories
        return item.title

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_guid(self, item):
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{settings.SITE_NAME}/lists/{item.pk}')}"

    def item_author_name(self, item):
        return item.byline or settings.SITE_NAME

    def item_categories(self, item):
        return [tag.name for tag in item.hashtags.all()]


class LatestListsAtomFeed(LatestListsFeed):
    feed_type = Atom1Feed
    url_name = "feeds:latest_atom"


class HashtagFeed(LatestListsFeed):
    url_name = "feeds:hashtag_rss"

    def __call__(self, request, *args, **kwargs):
        return lower_case_redirect(request, self.url_name, kwargs["slug"]) or super().__call__(request, *args, **kwargs)

    def get_object(self, request, slug):
        return get_object_or_404(Hashtag.objects.published(), slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: lists tagged #{obj.name}"

    def description(self, obj):
        return f"New ranked lists tagged #{obj.name} on {settings.SITE_NAME}."

    def subtitle(self, obj):
        return self.description(obj)

    def link(self, obj):
        return absolute_url(None, obj.get_absolute_url())

    def items(self, obj):
        return feed_items(Article.objects.published().filter(hashtags=obj))


class HashtagAtomFeed(HashtagFeed):
    feed_type = Atom1Feed
    url_name = "feeds:hashtag_atom"


class MoodFeed(LatestListsFeed):
    """Lists featuring at least one film of the mood (not new films: films have no publication date)."""

    url_name = "feeds:mood_rss"

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except SlugMoved as moved:  # merged into another mood: readers follow to its feed
            return redirect(reverse(self.url_name, args=[moved.target.slug]), permanent=True)

    def get_object(self, request, slug):
        return get_by_slug(Mood.objects.all(), slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: lists featuring {obj.name} films"

    def description(self, obj):
        return f"New ranked lists on {settings.SITE_NAME} featuring films tagged “{obj.name}”."

    def subtitle(self, obj):
        return self.description(obj)

    def link(self, obj):
        return absolute_url(None, obj.get_absolute_url())

    def items(self, obj):
        featuring = Entry.objects.published().filter(film__moods=obj).values("article_id")
        return feed_items(Article.objects.filter(pk__in=featuring))


class MoodAtomFeed(MoodFeed):
    feed_type = Atom1Feed
    url_name = "feeds:mood_atom"


class FollowView(PageMetadataMixin, TemplateView):
    """
    A feed's page for people: what following it means, its address to paste
    into a feed reader, and the lists it holds now (the feed's own items).
    """

    template_name = "feeds/follow.html"
    feed_class = LatestListsFeed
    atom_url_name = "feeds:latest_atom"
    url_name = "feeds:latest"

    def get(self, request, *args, **kwargs):
        self.feed = self.feed_class()
        self.object = self.feed.get_object(request, *args, **kwargs)
        return super().get(request, *args, **kwargs)

    def heading(self):
        return "Follow the latest lists"

    def description(self):
        if self.object is None:  # the site feed's own description is the tagline, which says nothing of the feed
            return f"Every new ranked list on {settings.SITE_NAME}, as it is published."
        return self.feed._get_dynamic_attr("description", self.object)

    def source(self):
        """(name, path) of the page this feed follows."""
        return ("All lists", reverse("articles:list"))

    def feed_path(self, url_name):
        return reverse(url_name, args=[self.object.slug] if self.object is not None else [])

    def get_context_data(self, **kwargs):
        pagecache.shows("feeds", getattr(self, "object", None))
        # Django's own reader of a feed attribute that is a value, or a method with or without the object.
        feed_attr = self.feed._get_dynamic_attr
        return super().get_context_data(
            heading=self.heading(),
            description=self.description(),
            source=self.source(),
            rss_url=absolute_url(None, self.feed_path(self.feed.url_name)),
            atom_url=absolute_url(None, self.feed_path(self.atom_url_name)),
            # The feed's own items; this page shows titles and dates only, so without the items' prefetches.
            items=feed_attr("items", self.object).prefetch_related(None),
            **kwargs,
        )

    def get_page_metadata(self, context):
        path = self.feed_path(self.url_name)
        own_feeds = ()
        if self.object is not None:  # the site's latest-lists feeds are offered on every page already
            own_feeds = feed_links(
                self.feed_label(),
                self.feed_path(self.feed.url_name),
                self.feed_path(self.atom_url_name),
            )
        return PageMetadata(
            title=context["heading"],
            description=context["description"],
            path=path,
            feeds=own_feeds,
            jsonld=(breadcrumbs(self.request, [("Home", reverse("home")), context["source"], ("Follow", path)]),),
        )


class FollowHashtagView(FollowView):
    feed_class = HashtagFeed
    atom_url_name = "feeds:hashtag_atom"
    url_name = "feeds:hashtag"

    def get(self, request, *args, **kwargs):
        return lower_case_redirect(request, self.url_name, kwargs["slug"]) or super().get(request, *args, **kwargs)

    def heading(self):
        return f"Follow #{self.object.name}"

    def feed_label(self):  # as the hashtag's page names it
        return f"Lists tagged #{self.object.name}"

    def source(self):
        return (f"#{self.object.name}", self.object.get_absolute_url())


class FollowMoodView(FollowView):
    feed_class = MoodFeed
    atom_url_name = "feeds:mood_atom"
    url_name = "feeds:mood"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except SlugMoved as moved:  # merged into another mood: follow that one
            return redirect(reverse(self.url_name, args=[moved.target.slug]), permanent=True)

    def heading(self):
        return f"Follow lists with {self.object.name} films"

    def feed_label(self):  # as the mood's page names it
        return f"Lists featuring {self.object.name} films"

    def source(self):
        return (f"{self.object.name.capitalize()} films", self.object.get_absolute_url())
