"""
The purge clients against local fakes of the Fastly and Cloudflare APIs (a
small http.server on 127.0.0.1 recording what it was sent), and the purge_edge
task: a purge that fails is recorded and tried again, never lost.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.tasks import TaskResultStatus

from pagecache import edge
from pagecache.tasks import purge_edge
from tests.workers import database_tasks, queued, run_worker  # noqa: F401


class FakeAPI:
    """Records each request (method, path, headers, body); answers with `status` and `reply`."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.reply = {"status": "ok"}
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                api.requests.append(
                    (self.command, self.path, self.headers, self.rfile.read(length))
                )  # headers: case-insensitive
                body = json.dumps(api.reply).encode()
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_PURGE = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def api(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    fake = FakeAPI()
    yield fake
    fake.server.shutdown()


KEYS = [f"list:{n}" for n in range(300)] + ["home", "archive"]


def test_fastly_purges_by_surrogate_key_in_batches_of_256(api):
    config = {"BACKEND": "fastly", "SERVICE_ID": "SU1Z0isxPaozGVKXdv0eY", "TOKEN": "secret-token", "API": api.url}
    assert edge.purge(KEYS, edge=config) == 2
    sent = []
    for method, path, headers, _ in api.requests:
        assert (method, path) == ("POST", "/service/SU1Z0isxPaozGVKXdv0eY/purge")
        assert headers["Fastly-Key"] == "secret-token"
        assert "Fastly-Soft-Purge" not in headers  # hard: a takedown must not be served stale
        sent.append(headers["Surrogate-Key"].split(" "))
    assert [len(batch) for batch in sent] == [256, 46]
    assert sum(sent, []) == KEYS


def test_cloudflare_purges_by_tag_in_batches(api):
    api.reply = {"success": True, "errors": [], "messages": [], "result": {"id": "zone"}}
    config = {
        "BACKEND": "cloudflare",
        "ZONE_ID": "023e105f4ecef8ad9ca31a8372d0c353",
        "TOKEN": "cf-token",
        "API": api.url,
    }
    assert edge.purge(KEYS, edge=config) == 4
    tags = []
    for method, path, headers, body in api.requests:
        assert (method, path) == ("POST", "/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache")
        assert headers["Authorization"] == "Bearer cf-token"
        tags.append(json.loads(body)["tags"])
    assert [len(batch) for batch in tags] == [100, 100, 100, 2]
    assert sum(tags, []) == KEYS


def test_cloudflare_batches_follow_the_accounts_limit(api):
    api.reply = {"success": True}
    config = {"BACKEND": "cloudflare", "ZONE_ID": "z", "TOKEN": "t", "API": api.url, "BATCH": 30}
    assert edge.purge(KEYS[:61], edge=config) == 3


def test_cloudflare_not_confirming_is_a_failure(api):
    api.reply = {"success": False, "errors": [{"code": 1134, "message": "rate limited"}]}
    config = {"BACKEND": "cloudflare", "ZONE_ID": "z", "TOKEN": "t", "API": api.url}
    with pytest.raises(edge.PurgeError, match="rate limited"):
        edge.purge(["list:42"], edge=config)


def test_varnish_is_sent_purge_with_the_keys_to_every_server(api):
    other = FakeAPI()
    try:
        assert (
            edge.purge(["list:42", "home", "list:42"], edge={"BACKEND": "varnish", "URLS": [api.url, other.url]}) == 2
        )
        for fake in (api, other):
            [(method, path, headers, _)] = fake.requests
            assert (method, path, headers["xkey-purge"]) == ("PURGE", "/", "list:42 home")
    finally:
        other.server.shutdown()


def test_an_error_answer_raises_after_every_batch_was_tried(api):
    api.status = 503
    config = {"BACKEND": "fastly", "SERVICE_ID": "s", "TOKEN": "t", "API": api.url}
    with pytest.raises(edge.PurgeError, match="503"):
        edge.purge(KEYS, edge=config)
    assert len(api.requests) == 2


def test_no_edge_sends_nothing(settings):
    settings.PAGECACHE_EDGE = None
    assert edge.purge(["list:42"]) == 0


def test_a_key_that_would_split_in_a_header_is_refused():
    with pytest.raises(ValueError):
        edge.purge(["list 42"], edge={"BACKEND": "varnish", "URLS": ["http://127.0.0.1:9"]})


def test_edge_url_settings():
    from magazine.settings.base import edge_from_url

    assert edge_from_url("") is None
    assert edge_from_url("varnish://127.0.0.1:6081,10.0.0.2:6081") == {
        "BACKEND": "varnish",
        "URLS": ["http://127.0.0.1:6081", "http://10.0.0.2:6081"],
    }
    assert edge_from_url("fastly://SERVICE", token="t") == {
        "BACKEND": "fastly",
        "SERVICE_ID": "SERVICE",
        "TOKEN": "t",
        "API": "https://api.fastly.com",
    }
    assert edge_from_url("cloudflare://ZONE", token="t")["API"] == "https://api.cloudflare.com/client/v4"
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="EDGE_TOKEN"):
        edge_from_url("fastly://SERVICE")


@pytest.mark.django_db
def test_the_task_purges_the_configured_edge(api, settings):
    settings.PAGECACHE_EDGE = {"BACKEND": "varnish", "URLS": [api.url]}
    result = purge_edge.enqueue(keys=["list:42", "home"])
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert [r[2]["xkey-purge"] for r in api.requests] == ["list:42 home"]


@pytest.mark.django_db(transaction=True)
def test_a_failed_purge_is_recorded_and_tried_again_until_the_edge_answers(api, database_tasks, settings):
    settings.PAGECACHE_EDGE = {"BACKEND": "varnish", "URLS": [api.url]}
    api.status = 503
    purge_edge.enqueue(keys=["list:42"])
    run_worker()

    first, retry = queued("purge_edge")
    assert first.status == TaskResultStatus.FAILED and "PurgeError" in first.exception_class_path
    assert retry.status == TaskResultStatus.READY and retry.args_kwargs["kwargs"] == {"keys": ["list:42"], "attempt": 2}
    assert retry.run_after > first.finished_at

    api.status = 200
    retry.run_after = first.finished_at
    retry.save(update_fields=["run_after"])  # its time has come
    run_worker()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert [r[2]["xkey-purge"] for r in api.requests] == ["list:42", "list:42"]


@pytest.mark.django_db(transaction=True)
def test_a_purge_stops_being_retried_once_the_edge_has_expired_the_pages_anyway(api, database_tasks, settings):
    settings.PAGECACHE_EDGE = {"BACKEND": "varnish", "URLS": [api.url]}
    settings.PAGE_CACHE_S_MAXAGE, settings.PAGE_CACHE_STALE_WHILE_REVALIDATE = 300, 60
    api.status = 503
    purge_edge.enqueue(keys=["list:42"], attempt=9)  # waited 2+4+…+256 = 510 s already
    run_worker()
    assert [t.status for t in queued("purge_edge")] == [TaskResultStatus.FAILED]
