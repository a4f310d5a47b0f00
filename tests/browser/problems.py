"""Collects what a reader would never see but a browser complains about."""

from urllib.parse import urlsplit


class PageProblems:
    """
    Console errors, uncaught exceptions, failed requests and HTTP errors of
    every request a page makes, including the favicon. A test that opens a
    missing page on purpose says so with `expect_status`.
    """

    def __init__(self, page):
        self.items = []
        self.expected = set()  # (path, status)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.items.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def expect_status(self, path, status):
        self.expected.add((path, status))

    def _is_expected(self, url, status):
        return (urlsplit(url).path, status) in self.expected

    def _on_console(self, message):
        if message.type != "error":
            return
        text = message.text
        # Chromium repeats every HTTP error as a console line; those that were
        # expected are not problems, the others are reported as responses.
        location = message.location.get("url", "") if message.location else ""
        if text.startswith("Failed to load resource") and any(
            self._is_expected(location, status) for status in (403, 404, 410)
        ):
            return
        self.items.append(f"console error: {text} ({location})")

    def _on_request_failed(self, request):
        # Aborted is what Chromium reports for a request cancelled on purpose:
        # an image still loading when the person moves on, an autocomplete
        # query replaced by the next keystroke. HTTP errors are caught above.
        if request.failure == "net::ERR_ABORTED":
            return
        self.items.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _on_response(self, response):
        if response.status >= 400 and not self._is_expected(response.url, response.status):
            self.items.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def report(self):
        return "\n".join(f"  - {item}" for item in self.items)

    def clear(self):
        self.items.clear()
