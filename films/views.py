from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from slugs.views import OldSlugRedirectMixin

from .models import Film, Mood, Person, Studio


class FilmDetailView(OldSlugRedirectMixin, DetailView):
    template_name = "films/film_detail.html"

    def get_queryset(self):
        return Film.objects.for_cards()

    def get_context_data(self, **kwargs):
        ranked_in = self.object.entries.published().select_related("article").order_by("-article__published_at")
        return super().get_context_data(ranked_in=ranked_in, **kwargs)


class MoodListView(ListView):
    template_name = "films/mood_list.html"

    def get_queryset(self):
        return Mood.objects.with_film_counts().order_by("name")


class MoodDetailView(ListView):
    template_name = "films/mood_detail.html"
    paginate_by = settings.MAGAZINE_PAGE_SIZE * 2

    def get(self, request, *args, **kwargs):
        self.mood = get_object_or_404(Mood, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Film.objects.filter(moods=self.mood).for_cards().order_by("title", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(mood=self.mood, **kwargs)


class PersonDetailView(DetailView):
    model = Person
    template_name = "films/person_detail.html"

    def get_context_data(self, **kwargs):
        credits = self.object.credits.select_related("film").order_by("film__year", "film__title")
        return super().get_context_data(credits=credits, **kwargs)


class StudioDetailView(DetailView):
    model = Studio
    template_name = "films/studio_detail.html"

    def get_context_data(self, **kwargs):
        films = self.object.films.for_cards().order_by("year", "title")
        return super().get_context_data(films=films, **kwargs)
