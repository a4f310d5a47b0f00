import functools
from dataclasses import replace

from django.conf import settings
from django.core import signing
from django.db.models import Count, OuterRef, Q, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.generic import DetailView, ListView, TemplateView

import pagecache
from core.metadata import (
    PageMetadata,
    PageMetadataMixin,
    feed_links,
    share_card_metadata,
)
from core.pagination import IdsFirstPaginator
from core.structured_data import (
    article_graph,
    breadcrumbs,
    collection_page,
    describe,
    home_graph,
    iso,
)
from films.models import Mood
from slugs.views import OldSlugRedirectMixin

from .models import (
    SHARE_SALT,
    Article,
    Hashtag,
    ShareLink,
    ShareLinkOpening,
    TaggedArticle,
    entries_for_detail,
)
from .revisions import rank_changes_since_publication
from .share import article_share_card


class HomeView(PageMetadataMixin, TemplateView):
    template_name = "home.html"
    latest_count = 6

    def get_context_data(self, **kwargs):
        pagecache.shows("home")
        lists = list(Article.objects.published().for_listing()[: self.latest_count + 1])
        return super().get_context_data(
            featured=lists[0] if lists else None,
            latest=lists[1:],
            moods=Mood.objects.most_used()[:16],
            hashtags=Hashtag.objects.most_used()[:16],
            **kwargs,
        )

    def get_page_metadata(self, context):
        return PageMetadata(jsonld=tuple(home_graph(self.request)))


class ArticleListView(PageMetadataMixin, ListView):
    """The archive: every published list, newest first ("View all")."""

    template_name = "articles/article_list.html"
    paginate_by = settings.MAGAZINE_PAGE_SIZE
    paginator_class = IdsFirstPaginator

    def get_queryset(self):
        pagecache.shows("archive")
        return Article.objects.published().for_listing()


def once(compute):
    """
    `compute` run on first use and remembered: a template calls it only when
    it renders the part that needs it, so a part of the page served from
    the fragment cache costs no query.
    """
    return functools.cache(compute)


class ArticleDetailView(PageMetadataMixin, OldSlugRedirectMixin, DetailView):
    template_name = "articles/article_detail.html"
    related_count = 3
    # The page's metadata (its JSON-LD walks every entry) and the list's row
    # are kept for every reader with the keys they show, like the page's
    # fragments (pagecache.shared).
    cache_metadata = True

    def get_queryset(self):
        # The entries and their films are read when a part of the page that
        # shows them is rendered (entries_for_detail), not up front.
        return Article.objects.published().with_modified_at().select_related("author").prefetch_related("hashtags")

    def get_object(self, queryset=None):
        # The list, its author and hashtags as every reader gets them: kept
        # until one of them changes (pagecache.shared), so a page-cache miss
        # whose fragments are warm asks the database nothing.
        def read():
            article = super(ArticleDetailView, self).get_object(queryset)
            pagecache.shows(article, *article.hashtags.all())
            return article

        return pagecache.shared(f"article:{self.kwargs[self.slug_url_kwarg]}", read)

    def get_entries(self):
        article = self.object
        prefetch_related_objects([article], entries_for_detail())
        return list(article.entries.all())

    def get_context_data(self, **kwargs):
        article = self.object
        entries = once(self.get_entries)
        neighbours = once(
            lambda: (
                Article.objects.published().neighbours(article)
                if article.status == Article.Status.PUBLISHED
                else (None, None)
            )
        )
        return super().get_context_data(
            entries=entries,
            previous_list=once(lambda: neighbours()[0]),
            next_list=once(lambda: neighbours()[1]),
            reading_minutes=once(lambda: article.reading_minutes(entries())),
            related=once(lambda: related_articles(article, self.related_count)),
            rank_updates=once(lambda: rank_changes_since_publication(article) if article.show_rank_changes else None),
            **kwargs,
        )

    def get_page_metadata(self, context):
        if not self.cache_metadata:
            return self.page_metadata(context)
        # Shared by readers only, like the page's fragments; the keys it
        # showed go to the head's fragment too, which renders it.
        article = self.object
        metadata, context["metadata_keys"] = pagecache.collect(
            lambda: pagecache.shared(
                f"article-metadata:{article.pk}:{article.version}", lambda: self.page_metadata(context)
            )
        )
        return metadata

    def page_metadata(self, context):
        article, entries = self.object, context["entries"]()
        films = [entry.film for entry in entries]
        pagecache.shows(
            article,
            f"entries:{article.pk}",
            *article.hashtags.all(),
            *entries,
            *films,
            *(p for film in films for p in film.directors),
        )
        return PageMetadata(
            title=article.seo_title or article.title,
            description=article.seo_description or describe(article.summary),
            type="article",
            path=article.get_absolute_url(),
            jsonld=tuple(article_graph(self.request, article, entries)),
            published=iso(article.published_at),
            modified=iso(article.modified_at),
            tags=tuple(t.name for t in article.hashtags.all()),
            **self.share_card(entries),
        )

    def share_card(self, entries):
        return share_card_metadata(self.request, article_share_card(self.object, entries))

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if "comment" in self.request.GET:
            # The address a reader is sent to after posting shows their own
            # comment, even while it waits for a moderator: it is for that
            # reader only, kept by no cache, and not indexed (the canonical
            # link stays the list's own address).
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            response["X-Robots-Tag"] = "noindex"
        return response


class ArticlePreviewView(ArticleDetailView):
    """A draft or scheduled list as readers will see it; for staff only."""

    cache_metadata = False  # no share card, no JSON-LD: not the public page's

    def old_slug_response(self, target):
        # A renamed draft's old preview leads to its new preview, and only
        # for now: the public address may not exist yet.
        return redirect(target.get_preview_url())

    def get_queryset(self):
        if not self.request.user.has_perm("articles.view_article"):
            raise Http404("No such list.")
        return Article.objects.for_detail()

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=True, **kwargs)

    def page_metadata(self, context):
        # Not live yet, or not for long: no structured data until it is.
        return replace(super().page_metadata(context), jsonld=())

    def share_card(self, entries):
        return {}  # a draft changes often and is shared with no one: no card drawn for it yet

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class UnsavedPreviewView(ArticlePreviewView):
    """
    The change form's Preview button: the list as the form would save it.
    articles/admin_preview.py saves the form in a transaction, renders this
    from the would-be rows and rolls everything back.
    """

    template_name = "articles/article_preview_unsaved.html"
    files_left_out = ()

    def get_object(self, queryset=None):
        return self.get_queryset().get(pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            files_left_out=self.files_left_out,
            **kwargs,
        )


class SharedPreviewView(ArticlePreviewView):
    """
    A draft or scheduled list opened through a share link by someone with no
    account. A bad token is a 404; a revoked or expired link a 410 that does
    not name the list. Each opening is logged against the link.
    """

    def get(self, request, *args, **kwargs):
        try:
            link_id = signing.loads(kwargs["token"], salt=SHARE_SALT)
        except signing.BadSignature:
            raise Http404("No such preview.") from None
        self.link = ShareLink.objects.filter(pk=link_id).first()
        if self.link is None:
            raise Http404("No such preview.")
        if not self.link.is_open:
            return link_closed(request)
        if self.link.article.is_live:
            return redirect(self.link.article.get_absolute_url())
        ShareLinkOpening.objects.create(link=self.link)
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return self.get_queryset().get(pk=self.link.article_id)

    def get_queryset(self):
        return Article.objects.for_detail()

    def get_context_data(self, **kwargs):
        return super().get_context_data(share_link=self.link, **kwargs)


def link_closed(request):
    from django.template.response import TemplateResponse

    response = TemplateResponse(request, "articles/share_link_closed.html", status=410)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def related_articles(article, count):
    """
    Published lists sharing the most hashtags with `article`, newest first.

    Only two kinds of list can make the top `count`: those sharing a hashtag,
    and the newest `count + 1` (when fewer share one, the newest fill the
    places). Ranking just those, rather than grouping every list's hashtags,
    keeps this one query flat at ten thousand lists.
    """
    tag_ids = [t.pk for t in article.hashtags.all()]
    published = Article.objects.published()
    sharing = TaggedArticle.objects.filter(tag_id__in=tag_ids)
    newest = published.order_by("-published_at", "-pk").values("pk")[: count + 1]
    shared = (
        sharing.filter(content_object=OuterRef("pk"))
        .order_by()
        .values("content_object")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        published.filter(Q(pk__in=sharing.values("content_object_id")) | Q(pk__in=newest))
        .exclude(pk=article.pk)
        .annotate(shared=Coalesce(Subquery(shared), 0))
        .for_listing()
        .order_by("-shared", "-published_at", "-pk")[:count]
    )


def lower_case_redirect(request, url_name, slug):
    """
    A permanent redirect to the address of `url_name` with `slug` in lower
    case (hashtag slugs are), keeping the query; None when it already is.
    """
    if slug == slug.lower():
        return None
    target = reverse(url_name, kwargs={"slug": slug.lower()})
    query = request.GET.urlencode()
    return redirect(f"{target}?{query}" if query else target, permanent=True)


class HashtagDetailView(PageMetadataMixin, ListView):
    template_name = "articles/hashtag_detail.html"
    paginate_by = settings.MAGAZINE_PAGE_SIZE
    paginator_class = IdsFirstPaginator

    def get(self, request, *args, **kwargs):
        if moved := lower_case_redirect(request, "articles:hashtag", kwargs["slug"]):
            return moved
        # Not Hashtag.objects.all(): a hashtag only drafts carry must not reveal its name.
        self.hashtag = get_object_or_404(Hashtag.objects.published(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().filter(hashtags=self.hashtag).for_listing()

    def get_context_data(self, **kwargs):
        pagecache.shows(self.hashtag)
        return super().get_context_data(hashtag=self.hashtag, **kwargs)

    def get_page_metadata(self, context):
        tag, path = self.hashtag, self.hashtag.get_absolute_url()
        description = f"Ranked film lists tagged #{tag.name} on {settings.SITE_NAME}."
        page = context["page_obj"]
        return PageMetadata(
            title=f"#{tag.name}",
            description=description,
            path=path,
            jsonld=(
                collection_page(
                    self.request,
                    name=f"#{tag.name}",
                    description=description,
                    path=path,
                    items=[(a.title, a.get_absolute_url()) for a in context["object_list"]],
                    total=page.paginator.count,
                    first_position=page.start_index(),
                ),
                breadcrumbs(
                    self.request,
                    [("Home", reverse("home")), ("All lists", reverse("articles:list")), (f"#{tag.name}", path)],
                ),
            ),
            feeds=feed_links(
                f"Lists tagged #{tag.name}",
                reverse("feeds:hashtag_rss", args=[tag.slug]),
                reverse("feeds:hashtag_atom", args=[tag.slug]),
            ),
        )
