"""
`make bench`: readers while an editor works. gunicorn (production settings,
3 sync workers) serves the scale archive; wrk reads it for --duration seconds

- the long tail: the newest --lists lists' pages and a film page of each,
  drawn with a Zipf law (a few are read a lot, most rarely), as traffic
  spreads over a magazine's back catalogue, every page warmed first;
- the 50 hottest pages alone;

once with no writes (the control) and once while an editor saves a list
every --every seconds (a write-up corrected in any list of the archive, through the
services the admin uses). It prints requests/s, the page cache's hit ratio
(from each answer's X-Page-Cache header) and latency percentiles, and the
write run against its control.

    .venv/bin/python bench/writes.py [--duration S] [--every S] [--database URL] [--cache URL]
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ratios import PY, ROOT, Server, env_for  # noqa: E402

LUA = """
local threads = {}
function setup(thread) threads[#threads + 1] = thread end
function init(args)
  paths, i, hits, misses = {}, 0, 0, 0
  for line in io.lines("{paths}") do paths[#paths + 1] = line end
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], {["Accept-Encoding"] = "gzip"})
end
function response(status, headers, body)
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 elseif headers["X-Page-Cache"] == "miss" then misses = misses + 1 end
end
function done(summary, latency, requests)
  local h, m = 0, 0
  for _, thread in ipairs(threads) do h = h + thread:get("hits"); m = m + thread:get("misses") end
  io.write(string.format("HITS %d MISSES %d\\n", h, m))
end
"""

# Each thread of wrk has its own Lua state: done() sums the threads' counts.
EDITOR = """
import random, time
from articles.models import Article
ids = list(Article.objects.published().values_list("pk", flat=True))  # any list of the archive
n = 0
while True:
    article = Article.objects.get(pk=random.choice(ids))
    entry = article.entries.order_by("-rank").first()
    entry.write_up = entry.write_up.rstrip(" .") + ("." if n % 2 else " .")
    entry.save()
    n += 1
    time.sleep({every})
"""


def addresses(server_env, count):
    """The archive's public addresses, most read first (the newest lists, then back in time)."""
    script = (
        "from articles.models import Article\n"
        "from films.models import Film\n"
        f"for a in Article.objects.published().order_by('-published_at')[:{count}]:\n"
        "    print(a.get_absolute_url())\n"
        "    e = a.entries.select_related('film').order_by('rank').first()\n"
        "    if e: print(e.film.get_absolute_url())\n"
    )
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", script], cwd=ROOT, env=server_env, capture_output=True, text=True, check=True
    ).stdout
    return [line for line in out.splitlines() if line.startswith("/")]


def zipf_sample(paths, n, s=1.0, seed=7):
    rng = random.Random(seed)
    weights = [1 / (rank**s) for rank in range(1, len(paths) + 1)]
    return rng.choices(paths, weights=weights, k=n)


def run_wrk(server, paths, duration, connections):
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "mix.lua"
        script.write_text(LUA.replace("{paths}", str(listing)))
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{duration}s",
                "--latency",
                "--timeout",
                "10s",
                "-s",
                str(script),
                server.url("/"),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    hits = sum(int(n) for n in re.findall(r"HITS (\d+)", out))
    misses = sum(int(n) for n in re.findall(r"MISSES (\d+)", out))
    percent = {p: re.search(rf"\s{p}%\s+([\d.]+\w+)", out).group(1) for p in ("50", "90", "99")}
    return rps, hits / max(1, hits + misses), percent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 30)))
    parser.add_argument("--every", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'scale.sqlite3'}")
    )
    parser.add_argument("--cache", default=os.environ.get("BENCH_CACHE_URL", "locmemcache://bench"))
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument(
        "--lists",
        type=int,
        default=int(os.environ.get("BENCH_WRITES_LISTS", 500)),
        help="lists in the long tail (each with a film page): the newest N",
    )
    args = parser.parse_args()
    env = env_for(args.database, args.cache, args.port)
    lines = [
        f"## Readers while an editor saves a list every {args.every:g} s",
        "",
        f"Database {args.database.split('://')[0]}, page cache {args.cache.split('://')[0]}; "
        f"wrk {args.connections} connections × {args.duration} s per run.",
        "",
        "| mix | writes | requests/s | hit ratio | p50 | p90 | p99 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    with Server(env, args.port) as server:
        everything = addresses(env, args.lists)
        mixes = {"long tail": zipf_sample(everything, 200_000), "50 hottest": everything[:50] * 200}
        results = {}
        for name, paths in mixes.items():
            for path in dict.fromkeys(paths):  # warm: every page of the mix, once per worker
                for _ in range(int(env["WEB_CONCURRENCY"])):
                    server.get(path)
            run_wrk(server, paths, 5, args.connections)
            control = run_wrk(server, paths, args.duration, args.connections)
            editor = subprocess.Popen(
                [PY, "manage.py", "shell", "-c", EDITOR.replace("{every}", str(args.every))], cwd=ROOT, env=env
            )
            try:
                time.sleep(1)
                writing = run_wrk(server, paths, args.duration, args.connections)
            finally:
                editor.terminate()
                editor.wait(10)
            results[name] = (control, writing)
            for label, (rps, ratio, pct) in (("none", control), (f"every {args.every:g}s", writing)):
                lines.append(
                    f"| {name} | {label} | {rps:,.0f} | {ratio:.3f} | {pct['50']} | {pct['90']} | {pct['99']} |"
                )
    lines.append("")
    for name, (control, writing) in results.items():
        lines.append(
            f"- {name}: throughput with writes × control **{writing[0] / control[0]:.2f}**, "
            f"hit ratio {writing[1]:.3f} against {control[1]:.3f}"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "writes.md").write_text(text)


if __name__ == "__main__":
    main()
