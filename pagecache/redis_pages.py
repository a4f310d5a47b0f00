"""
Pages on Redis, the production stack: one round trip per reader, no pickle.

A page is a Redis hash of bytes and numbers (its start, its keys, its bound,
ETag, Last-Modified, headers, body and gzip). One Lua script reads the clock
and the page, checks every key's stamp against the page's start, and answers
with the body the reader can take, or with nothing but the validators when
the reader's If-None-Match already names it (a 304 reads no body). The
generic path (pagecache.store over Django's cache API) is two round trips
and the unpickling of the whole page object; it stays for local memory and
for fragments and shared values.

Stamps and the clock are the generic store's own keys (django-redis keeps
integers as plain Redis integers), so invalidation is the same for both.
"""

import json

from django.core.cache import caches

from . import store

# KEYS[1]: the page's hash; KEYS[2]: the clock. ARGV[1]: the stamps' key
# prefix; ARGV[2]: the reader's If-None-Match; ARGV[3]: "1" if they take gzip.
# When the clock has not moved since the page was built, nothing has changed:
# the stamps are read only when it has.
# Answers {clock} on a miss (no page, or a key changed since it was built),
# {clock, bound, etag, modified, headers, "304"} to a matching validator,
# {clock, bound, etag, modified, headers, encoding, body} otherwise.
READ = """
local clock = redis.call('GET', KEYS[2])
local meta = redis.call('HMGET', KEYS[1], 's', 'k', 'b', 'e', 'm', 'h')
if not meta[1] then return {clock} end
local start = tonumber(meta[1])
if not (clock and tonumber(clock) <= start) then
  local names = {}
  for key in string.gmatch(meta[2], '%S+') do names[#names + 1] = ARGV[1] .. key end
  if #names > 0 then
    local stamps = redis.call('MGET', unpack(names))
    for i = 1, #names do
      if not stamps[i] or tonumber(stamps[i]) > start then return {clock} end
    end
  end
end
if ARGV[2] ~= '' and ARGV[2] == meta[4] then return {clock, meta[3], meta[4], meta[5], meta[6], '304'} end
local body, encoding = false, ''
if ARGV[3] == '1' then body = redis.call('HGET', KEYS[1], 'z'); encoding = 'gzip' end
if not body then body = redis.call('HGET', KEYS[1], 'p'); encoding = '' end
return {clock, meta[3], meta[4], meta[5], meta[6], encoding, body}
"""


def available():
    """Whether the default cache is django-redis, whose connection this module can talk to directly."""
    return type(caches["default"]).__module__.startswith("django_redis")


class Client:
    def __init__(self, backend):
        self.backend = backend
        self.redis = backend.client.get_client(write=True)
        self.script = self.redis.register_script(READ)

    def name(self, key):
        return str(self.backend.make_key(key))


def client():
    """This thread's cache backend (Django makes one per thread, and anew when settings change) and its script."""
    backend = caches["default"]
    if getattr(backend, "_pagecache_client", None) is None:
        backend._pagecache_client = Client(backend)
    return backend._pagecache_client


def read(name, *, if_none_match, gzip):
    """
    (start, found) in one round trip: `start` the clock (None: the cache is
    unreachable), `found` None on a miss, else a dict of the page's bound,
    etag, last_modified, headers, and encoding and body (absent for a 304).
    """
    redis = client()
    try:
        answer = redis.script(
            keys=[redis.name(name), redis.name(store.CLOCK)],
            args=[redis.name(store.STAMP), if_none_match or "", "1" if gzip else ""],
        )
    except Exception:  # noqa: BLE001 - unreachable or partitioned: the caller renders and keeps nothing
        store.logger.warning("page cache unreachable on read", exc_info=True)
        return None, None
    start = int(answer[0]) if answer[0] is not None else store.clock()
    if len(answer) == 1:
        return start, None
    bound = float(answer[1]) if answer[1] else None
    found = {
        "bound": bound,
        "etag": answer[2].decode(),
        "last_modified": int(answer[3]),
        "headers": json.loads(answer[4]),
    }
    if len(answer) == 7:
        found["encoding"], found["body"] = answer[5].decode(), answer[6]
    return start, found


def write(name, start, keys, page, timeout):
    """Keep `page` (a middleware Page) as a hash, with its keys and start."""
    keys = tuple(sorted({store.EVERYTHING, *keys}))
    store.adopt(keys)
    redis = client()
    fields = {
        "s": start,
        "k": " ".join(keys),
        "b": "" if page.bound is None else repr(page.bound),
        "e": page.etag,
        "m": page.last_modified,
        "h": json.dumps(
            [*(list(item) for item in page.headers), *([["Vary", ", ".join(page.vary)]] if page.vary else [])]
        ),
        "p": page.body,
    }
    if page.gzipped is not None:
        fields["z"] = page.gzipped
    key = redis.name(name)
    try:
        with redis.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping=fields)
            pipe.expire(key, int(timeout))
            pipe.execute()
    except Exception:  # noqa: BLE001 - a page not kept is a miss, never an error
        store.logger.warning("page cache unreachable on write", exc_info=True)
