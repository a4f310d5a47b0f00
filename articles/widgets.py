from django.utils.html import format_html, format_html_join
from taggit.forms import TagWidget

from .models import Hashtag

SUGGESTIONS = 500  # enough for any magazine's working set; the page stays small


class HashtagInput(TagWidget):
    """
    The hashtags box with the existing hashtags offered as a <datalist>, the
    most used first. The browser's own suggestions work without JavaScript
    for the first hashtag typed; static/js/hashtag-suggest.js extends them to
    each hashtag after a comma or space. Any new name can still be typed.
    """

    class Media:
        js = ["js/hashtag-suggest.js"]

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {}), "autocomplete": "off", "data-hashtag-suggest": ""}
        list_id = f"{attrs.get('id') or 'id_' + name}-suggestions"
        attrs["list"] = list_id
        names = Hashtag.objects.order_by(
            "-uses", "name"
        ).values_list(  # the stored count of lists, drafts included
            "name", flat=True
        )[:SUGGESTIONS]
        options = format_html_join("", '<option value="{}"></option>', ((n,) for n in names))
        return format_html(
            '{}<datalist id="{}">{}</datalist>', super().render(name, value, attrs, renderer), list_id, options
        )
