from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/<str:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("articles/<str:slug>/preview/", views.ArticlePreviewView.as_view(), name="preview"),
    path("preview/<str:token>/", views.SharedPreviewView.as_view(), name="share"),
    path("hashtags/<str:slug>/", views.HashtagDetailView.as_view(), name="hashtag"),
]
