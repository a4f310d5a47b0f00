"""
`make audit`: Lighthouse (mobile and desktop) on the home and an article
page (every public page type with AUDIT_PAGES=all; pages that ask not to be
indexed are judged on SEO without Lighthouse's is-crawlable), and the Nu
HTML Checker on every public page, against the demo magazine. Prints the
scores; exits non-zero below the thresholds or on any HTML error.

Needs `npm ci` (lighthouse, vnu-jar), Java for vnu.jar, and Chromium.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.chromium import CHROMIUM_ARGS
from tools.demo_site import CHROMIUM, ROOT, demo_site, fetch

THRESHOLDS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# AUDIT_PAGES=all: every public page type but the 404 (about 15 minutes); or names, comma-separated.
LIGHTHOUSE_PAGES = ["home", "article"]
PRESETS = ["mobile", "desktop"]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def kept_out_of_search_engines(url):
    """Whether the page asks not to be indexed (search results, the comment form): by design, not a fault."""
    _, body = fetch(url)
    return b'<meta name="robots" content="noindex' in body


def lighthouse(url, preset, out_dir, *, indexed=True):
    """The four category scores (0–100) of one Lighthouse run; SEO without is-crawlable where not `indexed`."""
    report = out_dir / f"lighthouse-{preset}-{abs(hash(url))}.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=" + ",".join(THRESHOLDS),
        "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_ARGS]),
    ]
    if not indexed:
        command.append("--skip-audits=is-crawlable")  # SEO is judged on everything else
    if preset == "desktop":
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    attempts = 3  # Lighthouse now and then loses its trace (NO_NAVSTART): run it again
    for attempt in range(1, attempts + 1):
        if subprocess.run(command, env=env, cwd=ROOT).returncode == 0:
            break
        if attempt == attempts:
            raise RuntimeError(f"Lighthouse failed {attempts} times on {url} ({preset})")
        print(f"      Lighthouse failed on {url} ({preset}); attempt {attempt + 1} of {attempts}")
    data = json.loads(report.read_text())
    scores = {key: round((data["categories"][key]["score"] or 0) * 100) for key in THRESHOLDS}
    failing = [
        f"{audit['id']} ({audit['title']})"
        for audit in data["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in {"binary", "numeric", "metricSavings"}
    ]
    return scores, failing


def validate_html(site, out_dir):
    """Save every public page and run vnu.jar on the files (it refuses loopback URLs)."""
    files = []
    for name, path in site.pages.items():
        status, body = fetch(site.base + path)
        expected = 404 if name == "404" else 200
        if status != expected:
            print(f"   {name} {path}: HTTP {status}, expected {expected}")
            return 1
        target = out_dir / f"{name}.html"
        target.write_bytes(body)
        files.append(str(target))
    stylesheets = sorted(str(p) for p in (ROOT / "static").rglob("*.css"))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "gnu", "--also-check-css", *files, *stylesheets],
        capture_output=True,
        text=True,
    )
    output = (result.stdout + result.stderr).strip()
    if result.returncode or output:
        print(output.replace(str(out_dir) + "/", ""))
        print(f"   vnu: errors in the pages above (of {len(files)} checked)")
        return 1
    print(f"   vnu: no errors in {len(files)} pages ({', '.join(site.pages)}) and {len(stylesheets)} stylesheet(s)")
    return 0


def main():
    for tool in (LIGHTHOUSE, VNU):
        if not tool.exists():
            print(f"{tool.relative_to(ROOT)} is missing: run `npm ci` first.")
            return 2
    failures = 0
    with tempfile.TemporaryDirectory(prefix="magazine-audit-out-") as tmp, demo_site() as site:
        out_dir = Path(tmp)
        print("== Nu HTML Checker")
        failures += validate_html(site, out_dir)

        print("== Lighthouse (thresholds: " + ", ".join(f"{k} {v}" for k, v in THRESHOLDS.items()) + ")")
        print(f"   {'page':<10} {'preset':<8} " + " ".join(f"{k:>14}" for k in THRESHOLDS))
        asked = os.environ.get("AUDIT_PAGES", "")
        if asked == "all":
            names = [name for name in site.pages if name != "404"]
        else:
            names = [name for name in asked.split(",") if name] or LIGHTHOUSE_PAGES
        for name in names:
            url = site.base + site.pages[name]
            indexed = not kept_out_of_search_engines(url)  # asked once, for both presets
            for preset in PRESETS:
                scores, failing = lighthouse(url, preset, out_dir, indexed=indexed)
                low = [k for k, minimum in THRESHOLDS.items() if scores[k] < minimum]
                marks = " ".join(f"{scores[k]:>13}{'!' if k in low else ' '}" for k in THRESHOLDS)
                print(f"   {name:<10} {preset:<8} {marks}")
                if low:
                    failures += 1
                    print("      below threshold; audits not passing: " + "; ".join(failing))
    print("== audit passed" if not failures else f"== audit FAILED ({failures} problem(s))")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
