import datetime
import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

# Tests that need a service CI provides. Elsewhere they skip with a reason;
# in CI (CI set) a skip of one of them is a failure, so a misconfigured
# pipeline cannot pass by quietly testing less.
SERVICE_MARKERS = {"postgres", "redis", "browser", "nginx", "varnish"}


def pytest_runtest_setup(item):
    markers = {m.name for m in item.iter_markers()}
    if "postgres" in markers:
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/magazine")
    if "nginx" in markers and not (shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK)):
        pytest.skip("needs nginx for `make serve`: apt-get install nginx-light")
    if "varnish" in markers and (reason := varnish_missing()):
        pytest.skip(reason)
    if "redis" in markers:
        url = os.environ.get("REDIS_URL", "")
        if not url:
            pytest.skip("needs Redis: run with REDIS_URL=redis://127.0.0.1:6379/1")
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
        except (redis.RedisError, OSError) as exc:
            pytest.skip(f"needs Redis, but {url} does not answer: {exc}")


@functools.cache
def varnish_missing():
    """Why deploy/varnish.vcl cannot run here (no varnishd, no vmod_xkey), or None when it can."""
    varnishd = shutil.which("varnishd") or ("/usr/sbin/varnishd" if os.access("/usr/sbin/varnishd", os.X_OK) else None)
    if varnishd is None:
        return "needs Varnish and vmod_xkey: apt-get install varnish varnish-modules"
    vcl = (Path(__file__).resolve().parents[1] / "deploy" / "varnish.vcl").read_text()
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "check.vcl").write_text(vcl.replace("@ORIGIN@", '.host = "127.0.0.1"; .port = "9";'))
        check = subprocess.run(
            [varnishd, "-j", "none", "-C", "-n", f"{tmp}/n", "-f", f"{tmp}/check.vcl"], capture_output=True, text=True
        )
    if check.returncode != 0:
        if "xkey" in check.stderr:
            return "needs vmod_xkey for Varnish: apt-get install varnish-modules"
        return f"varnishd cannot compile deploy/varnish.vcl: {check.stderr.strip()[-300:]}"
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if (
        report.skipped
        and not hasattr(report, "wasxfail")
        and os.environ.get("CI")
        and SERVICE_MARKERS & {m.name for m in item.iter_markers()}
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"CI must run this test, but it was skipped: {reason}"
    return report


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploads and drawn share cards land in a folder of the test's own, never in the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (shared Redis included), so rate limits and cached pages never leak between tests."""
    from django.core.cache import cache

    from pagecache import invalidation, store

    cache.clear()
    store.forget()
    invalidation.forget_outage()
    yield


@pytest.fixture
def staff_client(db):
    """A client logged in as a staff editor (separate from the anonymous `client`)."""
    from tests.factories import StaffFactory

    staff = Client()
    staff.user = StaffFactory(username="editor")
    staff.force_login(staff.user)
    return staff


@pytest.fixture
def world(db):
    """Two live lists, a draft and a scheduled one, sharing a hashtag and a mood."""
    from films.models import Film
    from tests.factories import ArticleFactory, EntryFactory, FilmFactory, HashtagFactory, MoodFactory, make_list

    now = timezone.now()
    tag = HashtagFactory(name="SadAnime")
    mood = MoodFactory(name="bittersweet")
    older = make_list(4, title="Older List", dek="The older dek.", published_at=now - datetime.timedelta(days=10))
    newer = make_list(5, title="Newer List", dek="The newer dek.", published_at=now - datetime.timedelta(days=2))
    draft = ArticleFactory(title="Draft List", draft=True)
    scheduled = ArticleFactory(title="Scheduled List", scheduled=True)
    tv = FilmFactory(title="Clannad: After Story", format=Film.Format.TV, romanized_title="Clannad After Story")
    EntryFactory(article=newer, film=tv, rank=6)
    for article in (older, newer, draft, scheduled):
        article.hashtags.add(tag)
    for article in (draft, scheduled):
        EntryFactory(article=article, film=older.entries.get(rank=1).film, rank=1)
    older.entries.get(rank=1).film.moods.add(mood)
    return {"older": older, "newer": newer, "draft": draft, "scheduled": scheduled, "tag": tag, "mood": mood, "tv": tv}
