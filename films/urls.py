from django.urls import path

from . import views

app_name = "films"

urlpatterns = [
    path("films/<str:slug>/", views.FilmDetailView.as_view(), name="detail"),
    path("moods/", views.MoodListView.as_view(), name="mood_list"),
    path("moods/<str:slug>/", views.MoodDetailView.as_view(), name="mood"),
    path("people/<str:slug>/", views.PersonDetailView.as_view(), name="person"),
    path("studios/<str:slug>/", views.StudioDetailView.as_view(), name="studio"),
]
