from django.urls import path

from magazine.urls import urlpatterns as site

from .views import constant

urlpatterns = [path("bench/constant", constant), *site]
handler500 = "magazine.views.server_error"
