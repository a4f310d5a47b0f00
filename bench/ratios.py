"""
`make bench` (after bench/load.sh): throughput ratios measured in one run on
one server, and uncached medians, at demo size and at magazine scale.
Results go to the terminal and to bench/results.md, which the README quotes.

    .venv/bin/python bench/ratios.py [--scale LISTS,FILMS,COMMENTS] [--duration S] [--connections N]

BENCH_DATABASE_URL=postgres://…/bench runs on PostgreSQL (databases bench_demo
and bench_scale, made and seeded once) instead of SQLite files, and
BENCH_CACHE_URL=redis://… keeps the page cache on Redis.

Each database gets two gunicorns on 127.0.0.1 (production settings, 3 sync
workers): one as deployed (the page cache on REDIS_URL, or each worker's
local memory), one with a dummy cache (every page rendered from scratch,
no fragment reused). wrk drives each target for --duration seconds. Last,
both sizes are served at once with the dummy cache and each page is asked
of one and then the other: the scale-over-demo ratios come from those pairs.

Targets: the list page's exact bytes as a static file served by WhiteNoise;
/bench/constant (a constant through every middleware, no database or cache);
the list page from the page cache; with a new query string each request
(a page-cache miss whose entry fragments are warm); rendered from scratch;
answered 304 to If-None-Match; and home, a film, search.

The first four make the two ratios the issue sets targets for (cached over
static, miss over bare), so they are measured in --rounds rounds, one after
another within a round: a ratio is taken within each round, where both of
its targets saw the same machine, and the median round is reported.
"""

import argparse
import datetime
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
LIST = "/articles/top-20-sad-romance-anime-movies/"
LUA_COUNTER = """
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "{path}?n=" .. math.random(1, 1e9) .. "-" .. n)
end
"""


# Measured in rounds, each ratio's two targets one after the other.
ROUNDED = [
    "static copy (WhiteNoise)",
    "list page, cached",
    "bare view",
    "list page, page-cache miss (fragments warm)",
]
ROUND_RATIOS = {
    "cached list page × static copy": (ROUNDED[1], ROUNDED[0]),
    "page-cache miss × bare view": (ROUNDED[3], ROUNDED[2]),
}


def env_for(database, cache, port):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database,
        GUNICORN_ACCESSLOG="/dev/null",
        GUNICORN_LOGLEVEL="warning",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=env.get("WEB_CONCURRENCY", "3"),
        GUNICORN_MAX_REQUESTS="0",
    )
    env.pop("REDIS_URL", None)
    env.pop("CACHE_URL", None)
    if cache.startswith("redis"):
        env["REDIS_URL"] = cache
    else:
        env["CACHE_URL"] = cache
    return env


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


class Server:
    def __init__(self, env, port):
        self.env, self.port = env, port

    def __enter__(self):
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "magazine.wsgi"],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        for _ in range(240):
            try:
                urllib.request.urlopen(self.url("/healthz"), timeout=2)
                return self
            except OSError:
                time.sleep(0.5)
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(30)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path, headers=None):
        request = urllib.request.Request(self.url(path), headers=headers or {})
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()


def wrk(server, path, *, duration, connections, header=None, busting=False):
    args = ["wrk", f"-t{min(4, connections)}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    if header:
        args += ["-H", header]
    script = None
    if busting:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(LUA_COUNTER.replace("{path}", path))
        script.close()
        args += ["-s", script.name]
    out = subprocess.run([*args, server.url(path)], capture_output=True, text=True, check=True).stdout
    if script:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, int(bad.group(1)) if bad else 0


def timed_ms(server, path, i):
    """One uncached request's wall-clock time (a new query string each time)."""
    started = time.perf_counter()
    status, _, _ = server.get(f"{path}{'&' if '?' in path else '?'}m={i}")
    assert status == 200, (path, status)
    return (time.perf_counter() - started) * 1000


def median_ms(server, path, runs):
    return statistics.median(timed_ms(server, path, i) for i in range(runs))


def paired(demo, scale, runs):
    """
    Each page at both sizes, one request to each in turn (which goes first
    alternates): {page: (demo ms, scale ms, median of the pairs' ratios)}.
    Taken minutes apart, two medians drift with a shared machine's speed;
    a pair's two requests see the same machine.
    """
    demo_pages, found = pages(demo), {}
    for name, path in pages(scale).items():
        base = demo_pages.get(name, demo_pages["archive p1"])  # page 400 against page 1
        times = []
        for i in range(runs):
            if i % 2:
                small = timed_ms(demo, base, i)
                times.append((small, timed_ms(scale, path, i)))
            else:
                large = timed_ms(scale, path, i)
                times.append((timed_ms(demo, base, i), large))
        found[name] = (
            statistics.median(d for d, _ in times),
            statistics.median(s for _, s in times),
            statistics.median(s / d for d, s in times),
        )
    return found


def postgres_database(url):
    """`url`, its database made if it does not exist yet (each size keeps its own, seeded once)."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return url


def prepare(label, database, seed):
    env = env_for(database, "dummycache://", 0)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo")
    if seed:
        lists, films, comments = seed
        manage(env, "seed_scale", f"--lists={lists}", f"--films={films}", f"--comments={comments}", "--batch-size=2000")
        manage(env, "optimize_search_index")  # the nightly job, as in production
    manage(env, "collectstatic", "--noinput", "-v", "0")


def pages(server):
    """The addresses measured: the demo's own film, hashtag and search, archive pages 1 and 400 when there."""
    html = server.get(LIST)[2].decode()
    tag = re.search(r'href="(/hashtags/[^"]+/)"', html).group(1)
    film = "/films/your-name/"
    found = {
        "home": "/",
        "list page": LIST,
        "film": film,
        "hashtag": tag,
        "archive p1": "/articles/",
        "search \u201clove\u201d": "/search/?q=love",
        "sitemap index": "/sitemap.xml",
    }
    try:
        if server.get("/articles/?page=400")[0] == 200:
            found["archive p400"] = "/articles/?page=400"
    except urllib.error.HTTPError:
        pass
    return found


def measure(label, database, cache, args, port):
    results = {"label": label}
    env = env_for(database, cache, port)
    # The static copy: the list page's exact bytes, served by WhiteNoise like any static file.
    with Server(env, port) as server:
        status, headers, body = server.get(LIST)
        static_root = Path(
            subprocess.run(
                [
                    PY,
                    "-c",
                    "import django; django.setup(); from django.conf import settings; print(settings.STATIC_ROOT)",
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
    (static_root / "bench").mkdir(exist_ok=True)
    (static_root / "bench" / "list-page.html").write_bytes(body)
    results["bytes"] = (len(body), len(server_gzip(body)))
    runs = {}
    with Server(env, port) as server:
        etag = server.get(LIST)[1]["ETag"]
        for path in (LIST, "/", "/films/your-name/", "/search/?q=shinkai"):
            server.get(path)
        plan = [
            (ROUNDED[0], "/static/bench/list-page.html", {}),
            (ROUNDED[1], LIST, {}),
            (ROUNDED[2], "/bench/constant", {}),
            (ROUNDED[3], LIST, {"busting": True}),
            ("list page, 304 (If-None-Match)", LIST, {"header": f"If-None-Match: {etag}"}),
            ("home, cached", "/", {}),
            ("film, cached", "/films/your-name/", {}),
            ("search, cached", "/search/?q=shinkai", {}),
        ]
        rounds = []
        for round_number in range(args.rounds):
            measured = {}
            for name, path, options in plan if round_number == 0 else plan[: len(ROUNDED)]:
                measured[name] = wrk(server, path, duration=args.duration, connections=args.connections, **options)
                print(f"   {label}: {name}: {measured[name][0]:.0f}/s", flush=True)
            rounds.append(measured)
        for name in rounds[0]:
            seen = [r[name] for r in rounds if name in r]
            runs[name] = (statistics.median(rps for rps, _ in seen), sum(bad for _, bad in seen))
        results["rounds"] = {
            ratio: [r[top][0] / r[bottom][0] for r in rounds] for ratio, (top, bottom) in ROUND_RATIOS.items()
        }
    scratch = env_for(database, "dummycache://", port)
    with Server(scratch, port) as server:
        runs["list page, rendered from scratch"] = wrk(
            server, LIST, duration=args.duration, connections=args.connections
        )
        print(f"   {label}: from scratch: {runs['list page, rendered from scratch'][0]:.0f}/s", flush=True)
        results["medians"] = {name: median_ms(server, path, args.runs) for name, path in pages(server).items()}
    results["rps"] = runs
    return results


def server_gzip(body):
    import gzip

    return gzip.compress(body, 6)


def report(all_results, pairs, args):
    lines = [
        "# Bench results",
        "",
        f"`make bench`, {datetime.date.today().isoformat()}: gunicorn (3 sync workers, production settings, "
        f"{'PostgreSQL' if os.environ.get('BENCH_DATABASE_URL') else 'SQLite'}) on 127.0.0.1, wrk {args.connections} connections × {args.duration} s per target, "
        f"one run per size on the same server. Page cache: {args.cache}. "
        "The machine is shared, so read the ratios, not the absolute numbers.",
        "",
    ]
    for result in all_results:
        rps = result["rps"]
        static, bare = rps["static copy (WhiteNoise)"][0], rps["bare view"][0]
        scratch = rps["list page, rendered from scratch"][0]
        lines += [
            f"## {result['label']}",
            "",
            f"List page: {result['bytes'][0]:,} bytes of HTML, {result['bytes'][1]:,} gzipped.",
            "",
            "| target | requests/s | × static copy | × bare view | non-2xx/3xx |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, (value, bad) in rps.items():
            lines.append(f"| {name} | {value:,.0f} | {value / static:.2f} | {value / bare:.2f} | {bad} |")
        lines += [
            "",
            f"The first four targets: median of {args.rounds} rounds. Their ratios, round by round "
            "(a ratio's two targets measured one after the other), and the median round:",
            "",
        ]
        for ratio, values in result["rounds"].items():
            lines.append(f"- {ratio}: {', '.join(f'{v:.2f}' for v in values)}; **{statistics.median(values):.2f}**")
        lines += [
            "",
            f"304 vs rendered from scratch: {rps['list page, 304 (If-None-Match)'][0] / scratch:.1f}×.",
            "",
            f"Uncached medians (dummy cache: rendered from scratch, one client, median of {args.runs}):",
            "",
            "| page | ms |",
            "|---|---:|",
        ]
        lines += [f"| {name} | {ms:.0f} |" for name, ms in result["medians"].items()]
        lines.append("")
    if pairs:
        lines += [
            "## Scale over demo (uncached, paired)",
            "",
            f"Both sizes served at once (dummy cache), each page asked of one and then the other, {args.runs} pairs; "
            "× is the median of the pairs' ratios (archive p400 against the demo's page 1).",
            "",
            "| page | demo ms | scale ms | × |",
            "|---|---:|---:|---:|",
        ]
        lines += [f"| {name} | {d:.0f} | {sc:.0f} | {x:.1f} |" for name, (d, sc, x) in pairs.items()]
        lines.append("")
    text = "\n".join(lines)
    # The production stack's run goes beside the zero-setup one, not over it.
    name = "results-postgres.md" if os.environ.get("BENCH_DATABASE_URL") else "results.md"
    (ROOT / "bench" / name).write_text(text)
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--scale",
        default=os.environ.get("BENCH_SCALE", "10000,50000,200000"),
        help="lists,films,comments for the scale run; 'none' to skip it",
    )
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 10)))
    parser.add_argument("--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS", 32)))
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--rounds",
        type=int,
        default=int(os.environ.get("BENCH_ROUNDS", 3)),
        help="rounds of the four targets behind the two target ratios",
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8104)))
    parser.add_argument(
        "--cache",
        default=os.environ.get("BENCH_CACHE_URL", "locmemcache://bench"),
        help="the page cache, e.g. redis://127.0.0.1:6379/7 (default: each worker's memory)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    sizes = [("Demo size", ROOT / "bench" / "demo.sqlite3", None)]
    if args.scale != "none":
        seed = tuple(int(n) for n in args.scale.split(","))
        sizes.append(
            (
                f"Scale: {seed[0]:,} lists, {seed[1]:,} films, {seed[2]:,} comments",
                ROOT / "bench" / "scale.sqlite3",
                seed,
            )
        )
    results, databases = [], []
    postgres = os.environ.get("BENCH_DATABASE_URL", "")  # e.g. postgres://postgres@127.0.0.1:5432/bench
    for label, path, seed in sizes:
        database = f"sqlite:///{path}" if not postgres else postgres_database(f"{postgres}_{path.stem}")
        print(f"== {label}: preparing {path.name}", flush=True)
        prepare(label, database, seed)
        if args.cache.startswith("redis"):
            import redis

            redis.Redis.from_url(args.cache).flushdb()  # this bench's own database number
        results.append(measure(label, database, args.cache, args, args.port))
        databases.append(database)
    pairs = None
    if len(databases) == 2:
        print("== Scale over demo: both sizes at once, requests in pairs", flush=True)
        demo_port, scale_port = args.port, args.port + 1
        with (
            Server(env_for(databases[0], "dummycache://", demo_port), demo_port) as demo,
            Server(env_for(databases[1], "dummycache://", scale_port), scale_port) as scale,
        ):
            pairs = paired(demo, scale, args.runs)
    report(results, pairs, args)


if __name__ == "__main__":
    sys.exit(main())
