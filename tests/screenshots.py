"""Screenshots of the report, year and agency pages, on a desktop (1366 px) and a phone
(390 px), for the README: docs/screenshots/<page>-<width>.png.

    .venv/bin/python tests/screenshots.py [SITE_DIR] [OUT_DIR]

SITE_DIR is a built site (default: site/), OUT_DIR where the PNGs go (default:
docs/screenshots/, which mkdocs.yml leaves out of the site). The tests run it on the
seeds' site, so the pictures are made the way the README's are.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sitekit import browser, serve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"report": "agencies/huaian-government/2024/", "year": "years/2024/", "agency": "agencies/huaian-government/"}
WIDTHS = {"desktop": 1366, "phone": 390}


def take(site: Path, out: Path) -> list[Path]:
    """Serve the built `site` and shoot it (see `shoot`)."""
    with browser() as chromium, serve(site) as base:
        return shoot(chromium, base, out)


def shoot(chromium: object, base: str, out: Path) -> list[Path]:
    """One PNG per page and width, the first screen and a half (charts drawn)."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for device, width in WIDTHS.items():
        context = chromium.new_context(viewport={"width": width, "height": 900},  # type: ignore[attr-defined]
                                       device_scale_factor=1)
        page = context.new_page()
        for name, url in PAGES.items():
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            page.evaluate("window.scrollTo(0, 0)")
            figures = page.locator("figure.portal-chart")
            if figures.count():
                figures.first.scroll_into_view_if_needed()
                page.wait_for_function("""() => [...document.querySelectorAll('.portal-chart__view')]
                    .every(v => v.dataset.drawn === 'done' || v.dataset.drawn === 'failed')""", timeout=15_000)
                page.evaluate("window.scrollTo(0, 0)")
            path = out / f"{name}-{device}.png"
            height = min(1350, page.evaluate("document.documentElement.scrollHeight"))
            page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
            made.append(path)
        context.close()
    return made


if __name__ == "__main__":
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "screenshots"
    for made in take(site, out):
        print(made)
