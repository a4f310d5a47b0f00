from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.views import HomeView
from magazine.views import favicon

admin.site.site_header = f"{settings.SITE_NAME} — editors"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Lists, films and moods"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("articles.urls")),
    path("", include("films.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
