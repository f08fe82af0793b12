"""A crawler that looks at every page a user can reach, as Chromium shows it.

It starts from a few seed URLs, follows the same-origin links of the navigation and of the
main content (GET only, never a form), and checks on each page what a user would notice:
console errors and Content-Security-Policy violations, server errors, a page wider than the
screen, English left on a Vietnamese page (Django/DRF defaults and the project's own msgids),
Vietnamese interface text on an English page, and numbers written in the Vietnamese locale
into SVG geometry or data-* attributes, where the browser or the scripts expect "116.1".

Pages are told apart by their route (Django's URL resolver) so that a new page is covered by
being linked, without editing the test, while fifty cooperative pages of one template cost
no more than three.
"""

from __future__ import annotations

import contextlib
import re
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.urls import Resolver404, resolve

from tests.e2e.axe import Violation, axe_violations

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "crawler"

MAX_PAGES = 60  # per role, language and width
MAX_PER_ROUTE = 2  # distinct URLs (arguments, filters) of one route
MAX_ADMIN_PAGES = 5  # the admin index, a few change lists and add forms; never the whole admin
MAX_DOWNLOADS = 12
MAX_SCREENSHOTS = 4

# Query parameters that only re-order a list: one order is enough.
SORT_KEYS = {"sort", "o", "ordering", "order", "dir"}
# Paths that are not pages: assets, the JSON API, the language switch (a POST), the JS catalogue.
NOT_PAGES = ("/static/", "/media/", "/i18n/", "/jsi18n/")
# A link to any of these would change something if it were followed with GET; never follow it.
SIDE_EFFECTS = re.compile(r"/(logout|delete|archive|revoke|disable|remind|refresh|confirm|start|review|setlang)(/|$)")
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".xls", ".pdf", ".zip", ".docx", ".json", ".png", ".jpg", ".jpeg", ".svg")
DOWNLOAD_PARTS = re.compile(r"/(file|evidence|export)(/|\.|$)")
# Pages whose markup is not ours to change, left out of the accessibility check: Django's admin
# (its own templates and CSS; the admin is for the few national administrators) and the API's
# Swagger UI (drf-spectacular's bundle, for developers).
NOT_OURS = ("/admin/", "/api/")
ADMIN_PAGE = re.compile(r"^/admin/(?:[a-z_]+/[a-z_]+/(?:add/|\d+/change/)?)?$")

# Django, DRF, django-filter and browser defaults that only show when something is untranslated.
ENGLISH_DEFAULTS = (
    "---------",
    "(descending)",
    "(ascending)",
    "Ascending",
    "Descending",
    "This field is required.",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "Please correct the error",
    "Page not found",
    "Not Found",
    "Not found.",
    "Forbidden",
    "Server Error",
    "Server error",
    "Bad Request",
    "CSRF verification failed",
    "Log in",
    "Log out",
    "Password",
    "Username",
    "Save",
    "Delete",
    "Filter",
    "Submit",
    "Search",
    "Cancel",
    "Unknown",
    "Any date",
    "Past 7 days",
    "This month",
    "This year",
    "Show all",
    "Authentication credentials were not provided",
    "You do not have permission to perform this action",
    "No results",
    "Previous",
    "Next",
    "Invalid page",
)

# SVG attributes that hold one number (a length may carry a unit).
SVG_SCALAR = {
    *("cx", "cy", "r", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2", "dx", "dy", "width", "height"),
    *("stroke-width", "stroke-opacity", "fill-opacity", "opacity", "font-size", "offset", "stroke-dashoffset"),
}
SVG_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?(px|%|r?em|ex|ch|pt|pc|mm|cm|in|vw|vh)?\s*$")
# A number written with a decimal comma ("116,1") or thousands grouping ("1,234" / "1.234,5").
LOCALISED_NUMBER = re.compile(r"^\s*[+-]?\d+(?:[.\s\u00a0]\d{3})*,\d+\s*$")
VIETNAMESE_LETTER = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{[^}]*\}|<[^>]+>")

# What the page shows, measured in the page itself.
INSPECT = r"""(viewport) => {
  const root = document.documentElement;
  const limit = Math.min(window.innerWidth, viewport);
  const overflow = root.scrollWidth > limit + 1;
  const offenders = [];
  if (overflow) {
    const clipped = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const x = getComputedStyle(p).overflowX;
        if (x !== "visible" && x !== "clip") return true;
      }
      return false;
    };
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += "#" + el.id;
      const cls = (el.getAttribute("class") || "").trim().split(/\s+/).filter(Boolean).slice(0, 3);
      if (cls.length) s += "." + cls.join(".");
      const testid = el.getAttribute("data-testid");
      if (testid) s += `[data-testid=${testid}]`;
      return s;
    };
    const wide = [...document.body.querySelectorAll("*")].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right + window.scrollX > limit + 1 && !clipped(el);
    });
    // The outermost wide elements say where the layout breaks.
    for (const el of wide) {
      if (wide.includes(el.parentElement)) continue;
      offenders.push(`${describe(el)} ${Math.round(el.getBoundingClientRect().width)}px`);
      if (offenders.length >= 3) break;
    }
    if (!offenders.length) {
      // Positioned elements escape a scrolling container: one of them pushes the page out.
      for (const el of document.body.querySelectorAll("*")) {
        const r = el.getBoundingClientRect();
        const position = getComputedStyle(el).position;
        const right = Math.round(r.right + window.scrollX);
        if (right > limit + 1 && (position === "absolute" || position === "fixed")) {
          offenders.push(`${describe(el)} (position: ${position}, right edge at ${right}px)`);
          if (offenders.length >= 3) break;
        }
      }
    }
  }
  const svg = [];
  for (const el of document.querySelectorAll("svg, svg *")) {
    for (const a of el.attributes) svg.push([el.tagName.toLowerCase(), a.name, a.value]);
  }
  const data = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (a.name.startsWith("data-")) data.push([el.tagName.toLowerCase(), a.name, a.value]);
    }
  }
  // Django admin's action menu starts with "---------" in every language: Django's own, not ours.
  const djangoOwn = (s) => s.name === "action" && s.closest("#changelist-form");
  const options = [];
  for (const s of document.querySelectorAll("select")) {
    if (!s.checkVisibility() || djangoOwn(s)) continue;
    for (const o of s.options) options.push(o.text.trim());
  }
  // The text a user sees: every rendered text node (screen-reader text included), one by one.
  const texts = [];
  const walker = document.createTreeWalker(document.body || root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const value = node.nodeValue.replace(/\s+/g, " ").trim();
    if (!value || !parent || parent.closest("script, style, template, noscript, select")) continue;
    if (parent.checkVisibility({ checkVisibilityCSS: true })) texts.push(value);
  }
  const links = [...document.querySelectorAll("nav a[href], main a[href], #content a[href], #nav-sidebar a[href]")]
    .filter((a) => !a.hasAttribute("download"))
    .map((a) => a.href);
  const downloads = [...document.querySelectorAll("a[href][download]")].map((a) => a.href);
  return {
    lang: root.getAttribute("lang") || "",
    scrollWidth: root.scrollWidth,
    innerWidth: window.innerWidth,
    overflow, offenders,
    texts,
    options, svg, data, links, downloads,
    csp: window.__crawlerCsp || [],
  };
}"""

# Recorded from the very start of every document, before the page's own scripts run.
CSP_LISTENER = """
window.__crawlerCsp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__crawlerCsp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}` +
    (e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : "") + (e.sample ? ` «${e.sample}»` : ""));
});
"""


@dataclass
class Finding:
    where: str
    path: str
    problem: str

    def __str__(self) -> str:
        return f"[{self.where}] {self.path}: {self.problem}"


@dataclass
class CrawlResult:
    findings: list[Finding] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)  # axe's, when the crawl runs it


def _word_pattern(phrases: list[str]) -> re.Pattern[str] | None:
    phrases = sorted(set(phrases), key=len, reverse=True)
    if not phrases:
        return None
    alternatives = "|".join(
        (r"(?<!\w)" if p[0].isalnum() else "") + re.escape(p) + (r"(?!\w)" if p[-1].isalnum() else "") for p in phrases
    )
    return re.compile(alternatives)


@cache
def _catalogue() -> list[tuple[str, str]]:
    import polib

    entries = polib.pofile(str(ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    return [(e.msgid, e.msgstr) for e in entries if not e.obsolete]


def _fragments(text: str, min_words: int) -> list[str]:
    """The literal parts of a message, without placeholders and tags, long enough to be telling."""
    parts = [p.strip(" .,:;()«»\"'\n") for p in PLACEHOLDER.split(text)]
    return [p for p in parts if len(p.split()) >= min_words and len(p) >= 8]


@cache
def english_on_vietnamese_page() -> re.Pattern[str] | None:
    """English that a Vietnamese page never shows: the defaults above and our own msgids."""
    phrases = list(ENGLISH_DEFAULTS)
    for msgid, msgstr in _catalogue():
        if msgstr.strip() == msgid.strip():
            continue  # the same in both languages (names, codes)
        phrases += [p for p in _fragments(msgid, 2) if not VIETNAMESE_LETTER.search(p) and p not in msgstr]
    return _word_pattern(phrases)


@cache
def _vietnamese_messages() -> tuple[frozenset[str], tuple[str, ...]]:
    """Vietnamese interface messages: whole ones (no placeholder) and the openings of the others.

    Agency, province and cooperative names are Vietnamese in both languages and may contain a
    message ("Liên minh Hợp tác xã Việt Nam"), so a text counts only when it is the whole
    message, or starts like a message with placeholders (help texts, counts, errors).
    """
    whole, openings = set(), set()
    for msgid, msgstr in _catalogue():
        if not msgstr or msgstr.strip() == msgid.strip() or not VIETNAMESE_LETTER.search(msgstr):
            continue
        if PLACEHOLDER.search(msgstr):
            first = PLACEHOLDER.split(msgstr)[0].strip()
            if len(first.split()) >= 4 and first not in msgid:
                openings.add(first)
        elif len(msgstr.split()) >= 3:
            whole.add(_plain(msgstr))
    return frozenset(whole), tuple(sorted(openings))


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".:").strip()


def vietnamese_interface_texts(texts: list[str]) -> set[str]:
    whole, openings = _vietnamese_messages()
    found = set()
    for text in texts:
        plain = _plain(text)
        if plain in whole:
            found.add(plain)
        else:
            found.update(opening for opening in openings if plain.startswith(opening))
    return found


def _svg_number_problems(tag: str, name: str, value: str) -> str | None:
    if name in SVG_SCALAR:
        if not SVG_NUMBER.match(value):
            return f'<{tag} {name}="{value[:40]}"> is not a number'
        return None
    if name == "viewbox":
        numbers = [n for n in re.split(r"[\s,]+", value.strip()) if n]
        if len(numbers) != 4 or not all(SVG_NUMBER.match(n) for n in numbers):
            return f'<{tag} viewBox="{value[:60]}"> is not four numbers'
        return None
    if name == "points":
        numbers = [n for n in re.split(r"[\s,]+", value.strip()) if n]
        if len(numbers) % 2 or not all(SVG_NUMBER.match(n) for n in numbers):
            return f'<{tag} points="{value[:60]}"> is not pairs of numbers'
        return None
    if name == "d":
        return _path_problem(tag, value)
    if name == "transform":
        for function, arguments in re.findall(r"([a-zA-Z]+)\s*\(([^)]*)\)", value):
            numbers = [n for n in re.split(r"[\s,]+", arguments.strip()) if n]
            allowed = TRANSFORM_ARITY.get(function, ())
            if len(numbers) not in allowed or not all(SVG_NUMBER.match(n) for n in numbers):
                return f'<{tag} transform="{value[:60]}"> has {function}() with {len(numbers)} numbers'
    return None


TRANSFORM_ARITY = {
    "matrix": (6,),
    "translate": (1, 2),
    "scale": (1, 2),
    "rotate": (1, 3),
    "skewX": (1,),
    "skewY": (1,),
}


PATH_ARITY = {"m": 2, "l": 2, "t": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "a": 7, "z": 0}
PATH_TOKEN = re.compile(r"([MmLlTtHhVvCcSsQqAaZz])|([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|([\s,]+)|(.)")


def _path_problem(tag: str, value: str) -> str | None:
    """Path data whose numbers do not fit their commands, as with "M116,1 20,5 L..." in Vietnamese."""
    command, count = None, 0
    for letter, number, _space, other in PATH_TOKEN.findall(value):
        if other:
            return f'<{tag} d="{value[:60]}…"> has "{other}" in its path data'
        if letter:
            if command and PATH_ARITY[command] and count % PATH_ARITY[command]:
                return f'<{tag} d="{value[:60]}…"> has a command with the wrong count of numbers'
            command, count = letter.lower(), 0
        elif number:
            count += 1
    if command and PATH_ARITY[command] and count % PATH_ARITY[command]:
        return f'<{tag} d="…{value[-60:]}"> has a command with the wrong count of numbers'
    return None


class Crawler:
    """Visits the pages one user can reach in one browser context and collects what is wrong."""

    def __init__(
        self,
        page,
        base_url: str,
        *,
        where: str,
        language: str,
        width: int,
        logged_in: bool,
        staff: bool,
        slug: str,
        axe: bool = False,
    ):
        self.page = page
        self.base = base_url.rstrip("/")
        self.origin = urlsplit(self.base).netloc
        self.where = where
        self.language = language
        self.width = width
        self.logged_in = logged_in
        self.staff = staff
        self.slug = slug
        self.axe = axe
        self.result = CrawlResult()
        self._events: list[str] = []
        self._server_errors: list[str] = []
        self._inflight = 0
        self._screenshots = 0
        self._document = ""
        self._found_on: dict[str, str] = {}
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self._events.append(f"JavaScript error: {error}"))
        page.on("response", self._on_response)
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_done)
        page.on("requestfailed", self._on_failed)

    # --- events --------------------------------------------------------------------------------

    def _on_console(self, message) -> None:
        if message.type == "error":
            location = message.location or {}
            source = location.get("url", "")
            if message.text.startswith("Failed to load resource") and source == self._document:
                return  # the page's own status, checked against what was expected
            self._events.append(f"console error: {message.text}" + (f" ({source})" if source else ""))

    def _same_origin(self, url: str) -> bool:
        return urlsplit(url).netloc == self.origin

    def _on_response(self, response) -> None:
        # The page's own status is checked in visit(); this catches scripts, styles and htmx calls.
        if response.status >= 500 and self._same_origin(response.url) and response.url != self._document:
            self._server_errors.append(f"HTTP {response.status} from {urlsplit(response.url).path}")

    def _on_request(self, request) -> None:
        self._inflight += 1

    def _on_done(self, request) -> None:
        self._inflight = max(0, self._inflight - 1)

    def _on_failed(self, request) -> None:
        self._inflight = max(0, self._inflight - 1)
        failure = request.failure or ""
        if self._same_origin(request.url) and "ERR_ABORTED" not in failure:
            self._events.append(f"request failed: {urlsplit(request.url).path} {failure}")

    # --- links ---------------------------------------------------------------------------------

    def canonical(self, href: str) -> str | None:
        """The URL as a page key (path and normalised query), or None when it is not to be visited."""
        parts = urlsplit(urljoin(self.base + "/", href))
        if parts.scheme not in ("http", "https") or parts.netloc != self.origin:
            return None
        path = parts.path or "/"
        if path.startswith(NOT_PAGES) or SIDE_EFFECTS.search(path):
            return None
        if path.lower().endswith(DOWNLOAD_SUFFIXES) or DOWNLOAD_PARTS.search(path):
            download = path + (f"?{parts.query}" if parts.query else "")
            if download not in self.result.downloads:
                self.result.downloads.append(download)
            return None
        if path.startswith("/api/") and not path.startswith("/api/v1/docs/"):
            return None  # JSON for machines; the API has its own tests
        if path.startswith("/admin/") and not (self.staff and ADMIN_PAGE.match(path)):
            return None
        query = []
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            if key in SORT_KEYS:
                continue
            if key == "page":
                if not value.isdigit() or int(value) > 2:
                    return None
                if value == "1":
                    continue
            query.append((key, value))
        return path + (f"?{urlencode(sorted(query))}" if query else "")

    @staticmethod
    def route(path: str) -> str:
        try:
            match = resolve(urlsplit(path).path)
        except Resolver404:
            return path
        return match.view_name or match.route

    # --- the crawl -----------------------------------------------------------------------------

    def crawl(self, seeds: list[str], expected_status: dict[str, int] | None = None) -> CrawlResult:
        """Breadth first, every route once before any route a second time."""
        expected_status = expected_status or {}
        fresh: deque[str] = deque()  # URLs of routes not visited yet, in the order they were found
        again: deque[str] = deque()  # further URLs (other arguments, filters) of visited routes
        seen: set[str] = set()
        per_route: dict[str, int] = {}
        admin_pages = 0

        def enqueue(href: str, found_on: str = "") -> None:
            key = self.canonical(href)
            if key is None or key in seen:
                return
            seen.add(key)
            fresh.append(key)
            if found_on:
                self._found_on[key] = found_on

        for seed in seeds:
            enqueue(seed)
        while (fresh or again) and len(self.result.visited) < MAX_PAGES:
            key = fresh.popleft() if fresh else again.popleft()
            route = self.route(key)
            visits = per_route.get(route, 0)
            if visits >= MAX_PER_ROUTE:
                continue
            if visits and fresh:
                again.append(key)
                continue
            if key.startswith("/admin/"):
                if admin_pages >= MAX_ADMIN_PAGES:
                    continue
                admin_pages += 1
            per_route[route] = visits + 1
            for link in self.visit(key, expected_status.get(key)):
                enqueue(link, key)
        # A page never seen because the budget ran out would pass unnoticed: say so instead.
        missed = sorted(
            {self.route(key) for key in fresh if self.route(key) not in per_route and not key.startswith("/admin/")}
        )
        if missed:
            self.result.findings.append(
                Finding(self.where, "-", f"the budget of {MAX_PAGES} pages ran out before: {', '.join(missed)}")
            )
        return self.result

    def visit(self, key: str, expected_status: int | None) -> list[str]:
        """Open one page, check it, and return the links it offers."""
        page = self.page
        self._events.clear()
        self._server_errors.clear()
        problems: list[str] = []
        self._document = self.base + key
        try:
            response = page.goto(self._document, wait_until="load")
        except Exception as error:  # a download, or a page that never loads
            if "Download is starting" in str(error):
                self.result.downloads.append(key)
                return []
            self.result.visited.append(key)
            self._report(key, [f"the page did not load: {str(error).splitlines()[0]}"])
            return []
        self.result.visited.append(key)
        self._settle()
        status = response.status if response else 0
        content_type = (response.headers.get("content-type", "") if response else "").lower()
        final = urlsplit(page.url)
        if status >= 500:
            problems.append(f"HTTP {status}")
        elif status >= 400 and status != expected_status:
            problems.append(f"a link on {self._found_on.get(key, 'a seed')} leads to HTTP {status}")
        elif expected_status and status != expected_status:
            problems.append(f"HTTP {status}, expected {expected_status}")
        if self.logged_in and final.path.startswith("/accounts/login/"):
            problems.append(f"a link on {self._found_on.get(key, 'a seed')} sends a logged-in user to the log-in page")
        if "html" not in content_type:
            self.result.skipped.append(f"{key} ({content_type or 'no content type'})")
            self._report(key, problems + self._server_errors + self._events)
            return []
        seen = page.evaluate(INSPECT, self.width)
        problems += self._server_errors
        problems += self._events
        problems += [f"Content-Security-Policy violation: {v}" for v in seen["csp"]]
        if seen["overflow"]:
            problems.append(
                f"the page is {seen['scrollWidth']} px wide on a {self.width} px screen"
                + (f" (widest: {'; '.join(seen['offenders'])})" if seen["offenders"] else "")
            )
        # The API and its Swagger UI are written for developers, in English like the API itself.
        if not key.startswith("/api/"):
            if seen["lang"] != self.language:
                problems.append(f'<html lang="{seen["lang"]}">, expected "{self.language}"')
            problems += self._language_problems(key, seen["texts"], seen["options"])
        problems += self._number_problems(seen["svg"], seen["data"])
        self._accessibility(key)
        for href in seen["downloads"]:
            self.canonical(href)
        self._report(key, problems)
        return seen["links"]

    def _accessibility(self, key: str) -> None:
        if self.axe and not key.startswith(NOT_OURS):
            self.result.violations += axe_violations(self.page, key)

    def _settle(self) -> None:
        """Let the page's own requests (htmx, scripts) finish, without a fixed long wait."""
        for _ in range(30):
            self.page.wait_for_timeout(60)
            if self._inflight == 0:
                break

    def _language_problems(self, key: str, texts: list[str], options: list[str]) -> list[str]:
        if key.startswith("/admin/"):
            # Django's admin marks an empty choice "---------" in every language, Vietnamese included.
            options = [option for option in options if option != "---------"]
        shown = [*texts, *options]
        if self.language == "vi":
            pattern = english_on_vietnamese_page()
            found = sorted({m.group(0) for m in pattern.finditer("\n".join(shown))}) if pattern else []
            what = "English on a Vietnamese page"
        else:
            found = sorted(vietnamese_interface_texts(shown))
            what = "Vietnamese interface text on an English page"
        return [f"{what}: " + " | ".join(f"«{f}»" for f in found[:12])] if found else []

    @staticmethod
    def _number_problems(svg: list[list[str]], data: list[list[str]]) -> list[str]:
        problems: list[str] = []
        for tag, name, value in svg:
            problem = _svg_number_problems(tag, name.lower(), value)
            if problem and problem not in problems:
                problems.append("number in the wrong locale in SVG: " + problem)
        for tag, name, value in data:
            if LOCALISED_NUMBER.match(value):
                problem = f'number in the wrong locale in a data attribute: <{tag} {name}="{value}">'
                if problem not in problems:
                    problems.append(problem)
        # One line per kind of attribute is enough to find the template.
        return problems[:8]

    def _report(self, key: str, problems: list[str]) -> None:
        if not problems:
            return
        unique = list(dict.fromkeys(problems))
        for problem in unique:
            self.result.findings.append(Finding(self.where, key, problem))
        if self._screenshots < MAX_SCREENSHOTS:
            self._screenshots += 1
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^a-zA-Z0-9]+", "-", key).strip("-") or "home"
            # A screenshot is a help for whoever reads the failure, never a failure of its own.
            with contextlib.suppress(Exception):
                self.page.screenshot(path=str(ARTIFACTS / f"{self.slug}-{name}.png"), full_page=True)

    def check_downloads(self) -> None:
        """Files offered for download answer without a server error (GET, never parsed)."""
        for path in self.result.downloads[:MAX_DOWNLOADS]:
            response = self.page.request.get(self.base + path, max_redirects=0)
            if response.status >= 500:
                self.result.findings.append(Finding(self.where, path, f"download: HTTP {response.status}"))
            response.dispose()
