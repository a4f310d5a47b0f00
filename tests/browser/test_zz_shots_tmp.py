from tests.factories import StaffFactory
from articles.models import Article
from .people import Editor
from .conftest import PHONE, DESKTOP
from .test_list_editor import change_path, ghibli  # noqa

def test_shots(new_page, live_server, ghibli):
    Article.objects.filter(pk=ghibli.pk).update(intro="An intro paragraph " * 20, conclusion="A closing word " * 10)
    for name, vp in [("1280", DESKTOP), ("390", PHONE)]:
        editor = Editor(new_page(vp), live_server)
        editor.log_in(StaffFactory(username=f"editor{name}"))
        editor.open(change_path(ghibli))
        editor.open_entry("Spirited Away")
        editor.page.screenshot(path=f"/tmp/desk-{name}.png", full_page=True)
        editor.page.screenshot(path=f"/tmp/desk-{name}-top.png")
