from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView, ListView

import pagecache
from core.metadata import (
    PageMetadata,
    PageMetadataMixin,
    feed_links,
    share_card_metadata,
)
from core.pagination import IdsFirstPaginator
from core.structured_data import (
    breadcrumbs,
    collection_page,
    describe,
    film_graph,
    person_graph,
    studio_graph,
)
from slugs.views import OldSlugRedirectMixin, SlugMoved, get_by_slug

from .models import Film, Mood, Person, Studio
from .share import film_share_card


class FilmDetailView(PageMetadataMixin, OldSlugRedirectMixin, DetailView):
    template_name = "films/film_detail.html"

    def get_queryset(self):
        # Also where an old slug is looked up: an unconfirmed film's new address stays unknown.
        return Film.objects.public().for_cards()

    def get_context_data(self, **kwargs):
        pagecache.shows(self.object, f"ranked:{self.object.pk}")
        ranked_in = list(self.object.entries.published().select_related("article").order_by("-article__published_at"))
        return super().get_context_data(ranked_in=ranked_in, **kwargs)

    def get_page_metadata(self, context):
        film = self.object
        return PageMetadata(
            title=f"{film.title} ({film.year})" if film.year else film.title,
            description=describe(film.synopsis) or f"{film.title}: facts, moods and the lists it is ranked in.",
            type="video.tv_show" if film.is_series else "video.movie",
            path=film.get_absolute_url(),
            **share_card_metadata(self.request, film_share_card(film, context["ranked_in"])),
            jsonld=tuple(film_graph(self.request, film)),
        )


class MoodListView(PageMetadataMixin, ListView):
    template_name = "films/mood_list.html"

    def get_queryset(self):
        pagecache.shows("moods")
        return Mood.objects.with_public_film_counts().order_by("name")


class MoodDetailView(PageMetadataMixin, ListView):
    template_name = "films/mood_detail.html"
    paginate_by = settings.MAGAZINE_PAGE_SIZE * 2
    paginator_class = IdsFirstPaginator

    def get(self, request, *args, **kwargs):
        try:
            self.mood = get_by_slug(Mood.objects.all(), kwargs["slug"])
        except SlugMoved as moved:  # merged into another mood
            return redirect(moved.target.get_absolute_url(), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Film.objects.public().filter(moods=self.mood).for_cards().order_by("title", "pk")

    def get_context_data(self, **kwargs):
        pagecache.shows(self.mood)
        return super().get_context_data(mood=self.mood, **kwargs)

    def get_page_metadata(self, context):
        mood, path = self.mood, self.mood.get_absolute_url()
        name = mood.name.capitalize()
        description = describe(mood.description) or f"Films that feel {mood.name}, on {settings.SITE_NAME}."
        page = context["page_obj"]
        return PageMetadata(
            title=f"{name} films",
            description=description,
            path=path,
            jsonld=(
                collection_page(
                    self.request,
                    name=f"{name} films",
                    description=description,
                    path=path,
                    items=[(f.title, f.get_absolute_url()) for f in context["object_list"]],
                    total=page.paginator.count,
                    first_position=page.start_index(),
                ),
                breadcrumbs(
                    self.request, [("Home", reverse("home")), ("Moods", reverse("films:mood_list")), (name, path)]
                ),
            ),
            feeds=feed_links(
                f"Lists featuring {mood.name} films",
                reverse("feeds:mood_rss", args=[mood.slug]),
                reverse("feeds:mood_atom", args=[mood.slug]),
            ),
        )


class CataloguePageMixin(PageMetadataMixin):
    """A person's or a studio's page: named after them, described by `graph` in JSON-LD."""

    graph = None

    def get_page_metadata(self, context):
        obj = self.object
        return PageMetadata(
            title=str(obj),
            description=f"{obj}: films and lists on {settings.SITE_NAME}.",
            path=obj.get_absolute_url(),
            jsonld=tuple(self.graph(self.request, obj)),
        )


class PersonDetailView(CataloguePageMixin, DetailView):
    model = Person
    template_name = "films/person_detail.html"
    graph = staticmethod(person_graph)

    def get_context_data(self, **kwargs):
        pagecache.shows(self.object)
        credits = (
            self.object.credits.filter(film__in=Film.objects.public())
            .select_related("film")
            .order_by("film__year", "film__title")
        )
        return super().get_context_data(credits=credits, **kwargs)


class StudioDetailView(CataloguePageMixin, DetailView):
    model = Studio
    template_name = "films/studio_detail.html"
    graph = staticmethod(studio_graph)

    def get_context_data(self, **kwargs):
        pagecache.shows(self.object)
        films = self.object.films.public().for_cards().order_by("year", "title")
        return super().get_context_data(films=films, **kwargs)
