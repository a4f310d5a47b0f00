"""`make run` imports the sample through load_demo; running it twice duplicates nothing."""

from django.core.management import call_command

from articles.models import Article, Entry, Hashtag
from films.models import Credit, Film, Mood, Person, Studio


def counts():
    return {m.__name__: m.objects.count() for m in (Article, Entry, Film, Person, Studio, Credit, Mood, Hashtag)}


def test_load_demo_twice_duplicates_nothing(db, capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first["Article"] == 3 and first["Film"] == 20
    assert "already imported and published" in capsys.readouterr().out


def test_demo_article_is_live_and_complete(db, client):
    call_command("load_demo")
    article = Article.objects.get(slug="top-20-sad-romance-anime-movies")
    assert article.is_live and article.published_at.date().isoformat() == "2024-06-22"
    response = client.get("/articles/top-20-sad-romance-anime-movies/")
    assert response.status_code == 200
    assert "I Want to Eat Your Pancreas" in response.text and "Kondō" in response.text
    whisper = Film.objects.get(title="Whisper of the Heart")
    assert (whisper.year, whisper.format) == (1995, "feature")
    assert [p.name for p in whisper.directors] == ["Yoshifumi Kondō"]
    assert Film.objects.get(title="Plastic Memories").format == Film.Format.TV
    film_page = client.get(whisper.get_absolute_url())
    assert film_page.status_code == 200 and "Studio Ghibli" in film_page.text
    mood_page = client.get(Mood.objects.get(name="tearjerker").get_absolute_url())
    assert "Grave of the Fireflies" in mood_page.text
    hashtag_page = client.get(Hashtag.objects.get(name="SadAnime").get_absolute_url())
    assert "Top 20 Sad Romance Anime Movies" in hashtag_page.text


def test_dry_run_writes_nothing(db, capsys):
    call_command("load_demo", "--dry-run")
    assert counts()["Film"] == 0
    assert "Would create or update 20 films" in capsys.readouterr().out


def test_demo_lists_have_a_byline_nobody_can_log_in_as(db, client, capsys):
    call_command("load_demo")
    article = Article.objects.get(slug="top-20-sad-romance-anime-movies")
    assert "By the Reel Rankings staff" in client.get(article.get_absolute_url()).content.decode()
    assert not article.author.has_usable_password() and not article.author.is_active
