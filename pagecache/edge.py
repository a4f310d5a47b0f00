"""
Telling the edge which pages to drop.

Public responses carry their cache keys (`list:42 film:7 home`) in the headers
named by PAGECACHE_EDGE_HEADERS; the edge indexes what it stores by them. When a
change retires keys, `purge(keys)` asks the configured edge (PAGECACHE_EDGE,
built from EDGE_URL) to drop every page carrying any of them:

- **varnish**: `PURGE /` with `xkey-purge: key1 key2 …` to each Varnish in
  URLS; deploy/varnish.vcl answers it (vmod_xkey) for localhost only.
- **fastly**: `POST {API}/service/{SERVICE_ID}/purge` with the keys in a
  `Surrogate-Key` header, at most 256 keys a request (Fastly's batch limit),
  authenticated by `Fastly-Key: {TOKEN}`.
- **cloudflare**: `POST {API}/zones/{ZONE_ID}/purge_cache` with
  `{"tags": [...]}`, at most BATCH tags a request (default 100, Cloudflare's
  limit per purge request on every plan today; it was 30 once — set
  `BATCH` lower if an account still has the old limit), authenticated by
  `Authorization: Bearer {TOKEN}`.
- None: no edge, nothing to do.

Purges are hard: a takedown must not be served stale. Any answer but a 2xx,
or no answer within PAGECACHE_EDGE_TIMEOUT seconds, raises PurgeError after
every batch and every Varnish was tried; pagecache.tasks.purge_edge retries.
Purging a key twice is harmless, so a retry sends the whole list again.
"""

import json
import re
import urllib.error
import urllib.request

from django.conf import settings

FASTLY_BATCH = 256
CLOUDFLARE_BATCH = 100
# Varnish refuses a request header over http_req_hdr_len (8 KB by default).
VARNISH_HEADER_BYTES = 4000

# Keys travel space-separated in HTTP headers: printable ASCII without spaces.
_KEY = re.compile(r"^[!-~]+$")


class PurgeError(Exception):
    """The edge did not confirm a purge; the message says which request failed and how."""


def purge(keys, *, edge=None):
    """
    Drop from the edge (PAGECACHE_EDGE, or `edge`) every page carrying any of
    `keys`. Returns the number of purge requests sent; raises PurgeError.
    """
    edge = settings.PAGECACHE_EDGE if edge is None else edge
    keys = list(dict.fromkeys(keys))
    bad = [key for key in keys if not _KEY.match(key)]
    if bad:
        raise ValueError(f"Cache keys must be printable ASCII without spaces: {bad!r}")
    if not edge or not keys:
        return 0
    client = {"varnish": _varnish, "fastly": _fastly, "cloudflare": _cloudflare}[edge["BACKEND"]]
    return client(keys, edge)


def _varnish(keys, edge):
    batches = [
        (url.rstrip("/") + "/", batch) for url in edge["URLS"] for batch in _by_length(keys, VARNISH_HEADER_BYTES)
    ]
    return _each(batches, lambda item: _send("PURGE", item[0], {"xkey-purge": " ".join(item[1])}, use_proxy=False))


def _fastly(keys, edge):
    url = f"{edge['API'].rstrip('/')}/service/{edge['SERVICE_ID']}/purge"
    headers = {"Fastly-Key": edge["TOKEN"], "Accept": "application/json"}
    return _in_batches(
        keys,
        edge.get("BATCH", FASTLY_BATCH),
        lambda batch: _send("POST", url, {**headers, "Surrogate-Key": " ".join(batch)}),
    )


def _cloudflare(keys, edge):
    url = f"{edge['API'].rstrip('/')}/zones/{edge['ZONE_ID']}/purge_cache"
    headers = {"Authorization": f"Bearer {edge['TOKEN']}", "Content-Type": "application/json"}

    def send(batch):
        answer = _send("POST", url, headers, json.dumps({"tags": batch}).encode())
        try:
            confirmed = json.loads(answer).get("success") is True
        except (ValueError, AttributeError):
            confirmed = False
        if not confirmed:
            raise PurgeError(f"POST {url}: Cloudflare did not confirm the purge: {answer[:300]!r}")

    return _in_batches(keys, edge.get("BATCH", CLOUDFLARE_BATCH), send)


def _in_batches(keys, size, send):
    return _each([keys[start : start + size] for start in range(0, len(keys), size)], send)


def _each(items, send):
    """`send(item)` for every item, all of them tried; the number sent, or PurgeError naming every failure."""
    failures, sent = [], 0
    for item in items:
        try:
            send(item)
            sent += 1
        except PurgeError as exc:
            failures.append(str(exc))
    if failures:
        raise PurgeError("; ".join(failures))
    return sent


def _by_length(keys, limit):
    batch, length = [], 0
    for key in keys:
        if batch and length + 1 + len(key) > limit:
            yield batch
            batch, length = [], 0
        batch.append(key)
        length += len(key) + 1
    if batch:
        yield batch


def _send(method, url, headers, body=None, *, use_proxy=True):
    """One request; the answer's body, or PurgeError. Varnish is ours and near: no proxy from the environment."""
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    opener = (
        urllib.request.build_opener() if use_proxy else urllib.request.build_opener(urllib.request.ProxyHandler({}))
    )
    try:
        with opener.open(request, timeout=settings.PAGECACHE_EDGE_TIMEOUT) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise PurgeError(f"{method} {url}: {exc.code} {exc.read()[:300]!r}") from exc
    except OSError as exc:  # refused, timed out, name not found
        raise PurgeError(f"{method} {url}: {exc}") from exc
