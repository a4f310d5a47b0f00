from django.http import HttpResponse


def constant(request):
    """A constant answer through the whole middleware stack, no database or cache."""
    return HttpResponse(b"ok", content_type="text/plain")
