"""
`make screenshots`: a PNG of every public page of the demo magazine at
390 px (phone) and 1280 px (desktop), full length, into screenshots/, in the
light and the dark colour scheme (`-dark`); the sample list as printed on A4
(`article-print.png`); then the editors' pages, logged in (the list editor
also with one entry open, the publishing panel also alone with "Schedule…"
open, the preview of an unsaved form and the preview naming a problem). The
admin keeps Django's own colours, so it is shot in light only.
"""

import datetime
import sys

from playwright.sync_api import sync_playwright

from tools.chromium import CHROMIUM_ARGS
from tools.demo_site import CHROMIUM, ROOT, demo_site

WIDTHS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}
SCHEMES = {"light": "", "dark": "-dark"}
A4 = {"width": 794, "height": 1123}  # 210 mm at 96 px per inch
OUT = ROOT / "screenshots"


def shoot(page, target):
    page.screenshot(path=target, full_page=True)
    print(f"   {target.relative_to(ROOT)}")


def shoot_admin(site, page, width):
    for name, path in site.admin_pages.items():
        page.goto(site.base + path, wait_until="networkidle")
        shoot(page, OUT / f"{name}-{width}.png")
        if name == "admin-list-editor":
            page.locator("#entries-group summary.entry-summary").nth(1).click()
            shoot(page, OUT / f"{name}-open-{width}.png")
        if name == "admin-publish-controls":
            # The panel alone, with "Schedule…" open and a time typed, as an editor sees it.
            panel = page.locator("#publishing")
            panel.locator("summary", has_text="Schedule…").click()
            day = datetime.date.today() + datetime.timedelta(days=3)
            panel.get_by_label("Date", exact=True).fill(day.isoformat())
            panel.get_by_label("Time", exact=True).fill("09:00")
            panel.get_by_label("Time", exact=True).blur()  # no caret or selection in the picture
            panel.screenshot(path=OUT / f"{name}-panel-{width}.png")
            print(f"   {(OUT / f'{name}-panel-{width}.png').relative_to(ROOT)}")
            # Preview of the form as it stands (nothing saved), in its own tab; then
            # the same with the title emptied, where the tab names the problem.
            page.locator("#id_title").fill("Three Films for a Rainy Sunday, Unsaved")
            for shot, title in (("admin-preview-unsaved", None), ("admin-preview-refused", "")):
                if title is not None:
                    page.locator("#id_title").fill(title)
                with page.context.expect_page() as opened:
                    page.get_by_role("button", name="Preview").first.click()
                preview = opened.value
                preview.wait_for_load_state("networkidle")
                shoot(preview, OUT / f"{shot}-{width}.png")
                preview.close()


def main():
    OUT.mkdir(exist_ok=True)
    problems = []
    with demo_site() as site, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def watch(page):
            page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
            page.on("pageerror", lambda e: problems.append(f"exception: {e}"))

        for width, viewport in WIDTHS.items():
            for scheme, suffix in SCHEMES.items():
                context = browser.new_context(viewport=viewport, device_scale_factor=1, color_scheme=scheme)
                page = context.new_page()
                watch(page)
                for name, path in site.pages.items():
                    page.goto(site.base + path, wait_until="networkidle")
                    shoot(page, OUT / f"{name}{suffix}-{width}.png")
                if scheme == "light":
                    site.log_in(page)
                    shoot_admin(site, page, width)
                context.close()
        # Printed: what the print stylesheet leaves of the sample list, on A4 paper.
        context = browser.new_context(viewport=A4, device_scale_factor=1)
        page = context.new_page()
        watch(page)
        page.emulate_media(media="print")
        page.goto(site.base + site.pages["article"], wait_until="networkidle")
        shoot(page, OUT / "article-print.png")
        context.close()
        browser.close()
    # The 404 page logs its own status; anything else is worth a look.
    problems = [p for p in problems if "404" not in p]
    if problems:
        print("Browser problems:\n  " + "\n  ".join(problems))
        return 1
    count = len(WIDTHS) * (len(SCHEMES) * len(site.pages) + len(site.admin_pages) + 4) + 1
    print(f"== {count} screenshots in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
