"""
The demo magazine on a throwaway SQLite file, served by runserver on
127.0.0.1:8115, for the audit and the screenshots.

    with demo_site() as site:
        site.base          # http://127.0.0.1:8115
        site.pages         # {"home": "/", "article": "/articles/…/", …}
        site.admin_pages   # the editors' pages, seen after site.log_in(page)
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tools.chromium import find_chromium

ROOT = Path(__file__).resolve().parent.parent
HOST, PORT = "127.0.0.1", int(os.environ.get("AUDIT_PORT", "8115"))
CHROMIUM = find_chromium() or "/usr/bin/chromium"


# A throwaway editor on the throwaway database, for screenshots of the admin.
EDITOR, EDITOR_PASSWORD = "screenshots", "screenshots-only-on-a-throwaway-db"


@dataclass
class Site:
    base: str
    pages: dict
    admin_pages: dict

    def log_in(self, page):
        """Log `page` (Playwright) in to the admin as the throwaway editor."""
        page.goto(self.base + "/admin/login/")
        page.fill("#id_username", EDITOR)
        page.fill("#id_password", EDITOR_PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(self.base + "/admin/")


def _env(db_path):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        # Production-like: DEBUG off (so the 404 page is ours, not Django's
        # debug page) and whitenoise serving collected, hashed, compressed
        # static files with far-future caching, as gunicorn would.
        DJANGO_SETTINGS_MODULE="magazine.settings.base",
        DEBUG="false",
        SITE_URL=f"http://{HOST}:{PORT}",  # canonical links point at the served demo
        PYTHONUNBUFFERED="1",
        SERVE_MEDIA="true",  # the demo's drawn posters and share cards, as the proxy would serve them
    )
    env.pop("REDIS_URL", None)
    return env


def _manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _public_pages(env):
    """Every kind of public page, with slugs read from the demo content."""
    script = (
        "import json\n"
        "from articles.models import Article, Hashtag\n"
        "from films.models import Film, Mood, Person, Studio\n"
        "a = Article.objects.published().order_by('-published_at', '-pk')\n"
        "sample = a.get(slug='top-20-sad-romance-anime-movies')\n"
        "f = Film.objects.public().filter(entries__isnull=False).order_by('title').first()\n"
        "print(json.dumps({\n"
        "  'home': '/', 'archive': '/articles/',\n"
        "  'article': sample.get_absolute_url(),\n"
        "  'article-2': a.last().get_absolute_url(),\n"
        "  'comment-form': sample.get_absolute_url() + 'comment/',\n"
        "  'film': f.get_absolute_url(),\n"
        "  'moods': '/moods/',\n"
        "  'mood': f.moods.order_by('name').first().get_absolute_url(),\n"
        "  'hashtag': Hashtag.objects.published().order_by('name').first().get_absolute_url(),\n"
        "  'follow': '/feeds/lists/',\n"
        "  'follow-hashtag': '/feeds' + Hashtag.objects.published().order_by('name').first().get_absolute_url(),\n"
        "  'follow-mood': '/feeds' + f.moods.order_by('name').first().get_absolute_url(),\n"
        "  'person': Person.objects.order_by('name').first().get_absolute_url(),\n"
        "  'studio': Studio.objects.order_by('name').first().get_absolute_url(),\n"
        "  'search': '/search/?q=shinkai',\n"
        "  'search-nothing': '/search/?q=zzzzqx',\n"
        "  '404': '/no-such-page/',\n"
        "}))\n"
    )
    return _shell_json(script, env)


def _admin_pages(env):
    """The editors' pages worth looking at, and the editor who sees them."""
    script = (
        "import json\n"
        "from django.contrib.auth import get_user_model\n"
        "from articles.models import Article\n"
        f"get_user_model().objects.create_superuser({EDITOR!r}, '', {EDITOR_PASSWORD!r})\n"
        "import datetime\n"
        "from django.utils import timezone\n"
        "from articles.models import Entry\n"
        "sample = Article.objects.get(slug='top-20-sad-romance-anime-movies')\n"
        # The demo is all published: a draft for the publishing panel, and a
        # list going live in two days so the calendar shows a scheduled day.
        "films = [e.film for e in sample.entries.order_by('rank')[:3]]\n"
        "draft = Article.objects.create(title='Three Films for a Rainy Sunday', dek='A draft.',\n"
        "                               status=Article.Status.DRAFT)\n"
        "for rank, film in enumerate(films, start=1):\n"
        "    Entry.objects.create(article=draft, film=film, rank=rank, write_up='Why it is here.')\n"
        "Article.objects.create(title='Coming Soon: Five Winter Films', status=Article.Status.PUBLISHED,\n"
        "                       published_at=timezone.now() + datetime.timedelta(days=2))\n"
        # Comments for the moderation queue: one approved with the magazine's
        # reply, one held (also seen by its writer, after posting, on the list).
        "from comments.models import Comment\n"
        "from comments.threads import posted_token\n"
        "liked = Comment.objects.create(article=sample, name='Mei', email='mei@example.com', is_public=True,\n"
        "                               body='Your Name still gets me every time.')\n"
        "Comment.objects.create(article=sample, parent=liked, depth=1, name='Reel Rankings', by_staff=True,\n"
        "                       is_public=True, body='Us too, Mei: the comet scene above all.')\n"
        "held = Comment.objects.create(article=sample, name='Haruka', email='haruka@example.com',\n"
        "                              held_reason='first', body='The last scene made me cry on the train.')\n"
        "print(json.dumps({\n"
        "  'article-pending-comment': f'{sample.get_absolute_url()}?comment={posted_token(held)}',\n"
        "  'admin-comment-queue': '/admin/comments/comment/',\n"
        "  'admin-comment': f'/admin/comments/comment/{held.pk}/change/',\n"
        "  'admin-list-editor': f'/admin/articles/article/{sample.pk}/change/',\n"
        "  'admin-calendar': '/admin/articles/article/calendar/',\n"
        "  'admin-publish-controls': f'/admin/articles/article/{draft.pk}/change/',\n"
        "}))\n"
    )
    return _shell_json(script, env)


def _shell_json(script, env):
    """Run `script` in `manage.py shell` against the demo database; its last line of output, as JSON."""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _wait_until_up(base, server, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"runserver exited with {server.returncode}")
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise RuntimeError(f"runserver did not answer on {base} within {timeout}s")


@contextlib.contextmanager
def demo_site():
    with tempfile.TemporaryDirectory(prefix="magazine-audit-") as tmp:
        env = _env(Path(tmp) / "demo.sqlite3")
        env["MEDIA_ROOT"] = str(Path(tmp) / "media")
        print(f"== demo content on a throwaway database in {tmp}", flush=True)
        _manage(env, "migrate", "--noinput")
        _manage(env, "load_demo")
        _manage(env, "collectstatic", "--noinput", "--clear")
        pages = _public_pages(env)
        admin_pages = _admin_pages(env)
        base = f"http://{HOST}:{PORT}"
        log = open(Path(tmp) / "runserver.log", "w")
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(base, server)
            print(f"== serving on {base}", flush=True)
            yield Site(base=base, pages=pages, admin_pages=admin_pages)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


def fetch(url):
    """(status, body) of `url`, HTTP errors included."""
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
