"""Accessibility of the pages without a browser: WCAG AA contrast (4.5:1) of
the style sheet's text colours, and the skip link and labels in the HTML.

The contrast check reads web/static/style.css itself: every rule that sets
both a text colour and a background (badges, pills, chips, toasts), every
variant that changes one of them (`.state[data-state=down]` inherits the text
colour of `.state`), and the text colours on the page and panel backgrounds
they are drawn on. A colour change that breaks AA fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from web.app import create_app
from web.settings import Settings

CSS = (Path(__file__).resolve().parent.parent / "web" / "static" / "style.css").read_text()
AA = 4.5


def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_against_known_values() -> None:
    # WCAG's own examples: black on white is 21:1, a colour on itself 1:1,
    # and #767676 on white is the well-known 4.54:1 threshold grey.
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#abcdef", "#abcdef") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def variables() -> dict[str, str]:
    root = re.search(r":root\s*\{([^}]*)\}", CSS)
    assert root is not None
    return dict(re.findall(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})\b", root.group(1)))


def rules() -> list[tuple[str, dict[str, str]]]:
    """(selector, {property: #colour}) for every rule, var() resolved;
    values that are no plain colour (rgba, none, gradients) are left out."""
    names = variables()
    text = re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)
    out = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        found: dict[str, str] = {}
        for prop, value in re.findall(r"(?:^|;)\s*(color|background(?:-color)?)\s*:\s*([^;]+)",
                                      body):  # fmt: skip
            value = value.strip()
            var = re.fullmatch(r"var\(--([\w-]+)\)", value)
            if var:
                value = names.get(var.group(1), "")
            if re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value):
                found["background" if prop.startswith("background") else "color"] = value
        for selector in selectors.split(","):
            selector = selector.strip()
            if found and selector and not selector.startswith(":root"):
                out.append((selector, found))
    return out


def pairs() -> list[tuple[str, str, str]]:
    """(what, text colour, background) of every rule that draws text on its
    own background; a variant takes what it does not set from its base rule."""
    by_selector: dict[str, dict[str, str]] = {}
    for selector, found in rules():
        by_selector.setdefault(selector, {}).update(found)
    out = []
    for selector, found in by_selector.items():
        plain = re.sub(r"\[[^\]]*\]", "", selector).split(":")[0]
        if plain == selector:  # `#toast.bad` is a variant of `#toast`
            plain = re.sub(r"(?<=\S)\.[\w-]+$", "", selector)
        base = by_selector.get(plain, {}) if plain != selector else {}
        colour = found.get("color", base.get("color"))
        background = found.get("background", base.get("background"))
        if colour and background and ("background" in found or "background" in base):
            out.append((selector, colour, background))
    return out


def test_the_parser_sees_the_badges() -> None:
    seen = {selector for selector, _, _ in pairs()}
    for selector in (".state", ".state[data-state=down]", ".pill[data-state=running]",
                     ".chip[data-state=down]", ".badge[data-role=facilitator]", "#toast",
                     "#toast.bad"):  # fmt: skip
        assert selector in seen, selector


def test_badges_and_pills_meet_wcag_aa() -> None:
    failing = [f"{s}: {c} on {b} = {contrast(c, b):.2f}" for s, c, b in pairs()
               if contrast(c, b) < AA]  # fmt: skip
    assert failing == []


def test_text_colours_on_their_backgrounds_meet_wcag_aa() -> None:
    v = variables()
    page, panel, bar = v["bg"], v["panel"], v["bar"]
    on_light = {"text": v["text"], "muted": v["muted"], "accent (links)": v["accent"],
                "released MSEL entry": "#17663c", "countdown": "#7a5300", "breach": "#b42318",
                "feed body": "#4b5563"}  # fmt: skip
    # every light surface text is drawn on: page, panel, the message and
    # MTPD-breach tints, a proposal's status and the end-of-exercise panel
    surfaces = {"page": page, "panel": panel, "message": "#f7f3ff", "breach row": "#fff1f1",
                "end panel": "#f5f8ff"}  # fmt: skip
    failing = [f"{name} {fg} on {where} {bg}: {contrast(fg, bg):.2f}"
               for name, fg in on_light.items() for where, bg in surfaces.items()
               if contrast(fg, bg) < AA]  # fmt: skip
    on_bar = {"title": "#e8edf7", "muted in the top bar": "#aab6cf", "offline": "#fca5a5",
              "language switch": "#cfe0ff", "sim time": "#aab6cf"}  # fmt: skip
    failing += [f"{name} {fg} on the top bar: {contrast(fg, bar):.2f}"
                for name, fg in on_bar.items() if contrast(fg, bar) < AA]  # fmt: skip
    assert failing == []
    # the surfaces listed are the ones the style sheet uses
    for colour in surfaces.values():
        assert colour in CSS or colour in v.values(), colour


# --- skip link and labels in the server-rendered HTML ---------------------------------


def test_every_page_has_a_skip_link_to_its_main_content(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(db_url=f"sqlite:///{tmp_path}/a.db"))) as client:
        pages = [client.get("/?lang=de"), client.get("/exercises/nope?lang=en")]
        r = client.post("/?lang=en", data={"source": "bundled", "scenario": "example/scenario.yaml",
                                           "speed": "60"})  # fmt: skip
        assert r.status_code == 201
        pages.append(r)
        link = re.search(r'id="link-facilitator" type="text" readonly value="([^"]+)"', r.text)
        assert link is not None
        url = link.group(1).replace("&amp;", "&")
        pages.append(client.get(url.split("testserver", 1)[-1]))  # absolute or relative
        assert pages[-1].status_code == 200
    for page in pages:
        body = page.text.split("<body", 1)[1]
        first_link = re.search(r"<a [^>]*>([^<]*)</a>", body)
        assert first_link is not None
        assert 'class="skip-link" href="#main"' in first_link.group(0)
        assert first_link.group(1) in ("Zum Inhalt springen", "Skip to the content")
        assert len(re.findall(r'<main [^>]*id="main"', page.text)) == 1
