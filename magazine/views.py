from django.shortcuts import redirect
from django.templatetags.static import static


def favicon(request):
    """Browsers (and the admin's pages) still ask for /favicon.ico: send them the SVG."""
    return redirect(static("img/favicon.svg"), permanent=True)
