from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("articles/<str:slug>/comment/", views.comment_post, name="post"),
]
