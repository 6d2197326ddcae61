"""Plotly figures of a run: outage timeline, process capacity, cumulative impact.

The only simulator module that imports plotly. Figures are built from the
record stream with `simulator.metrics`; writing files is `simulator.io`'s job.
Exported HTML inlines plotly.js (never a CDN), so reports open offline.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import plotly.graph_objects as go
from plotly.colors import qualitative

from simulator.metrics import (
    SECONDS_PER_HOUR,
    Segment,
    asset_segments,
    impact_series,
    initial_condition,
)
from simulator.records import EVENT_DECISION, EVENT_INJECT, Record
from simulator.schema import Asset, AssetKind, ScenarioBundle, text

STATE_ORDER: tuple[str, ...] = ("up", "degraded", "down", "standby")
STATE_COLORS = {
    "up": "rgba(76, 175, 80, 0.30)",
    "degraded": "#f0a202",
    "down": "#d62728",
    "standby": "#9e9e9e",
}
EVENT_COLORS = {EVENT_INJECT: "#1f3b73", EVENT_DECISION: "#2e7d32"}
KIND_ORDER = {kind: i for i, kind in enumerate(AssetKind)}  # sites, utilities first; processes last

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "up": "up",
        "degraded": "degraded",
        "down": "down",
        "standby": "standby",
        "timeline": "Outage timeline",
        "capacity": "Process capacity",
        "impact": "Cumulative impact",
        "start": "start",
        "hours": "hours since start",
        "capacity_axis": "capacity",
        "impact_axis": "EUR",
        "total": "total impact",
        "inject": "Inject",
        "decision": "Decision",
        "nothing": "No asset left normal operation.",
    },
    "de": {
        "up": "in Betrieb",
        "degraded": "eingeschränkt",
        "down": "ausgefallen",
        "standby": "Bereitschaft",
        "timeline": "Ausfall-Zeitleiste",
        "capacity": "Prozesskapazität",
        "impact": "Kumulierter Schaden",
        "start": "Start",
        "hours": "Stunden seit Start",
        "capacity_axis": "Kapazität",
        "impact_axis": "EUR",
        "total": "Schaden gesamt",
        "inject": "Einspielung",
        "decision": "Entscheidung",
        "nothing": "Kein Asset hat den Normalbetrieb verlassen.",
    },
}


def _word(key: str, lang: str) -> str:
    return _WORDS.get(lang, _WORDS["en"])[key]


def _h(seconds: float) -> float:
    return seconds / SECONDS_PER_HOUR


def _clock(start: datetime, seconds: int) -> str:
    return f"{start + timedelta(seconds=seconds):%Y-%m-%d %H:%M}"


def _when(start: datetime, seconds: int) -> str:
    """'12.50 h (2026-01-05 20:30)'"""
    return f"{_h(seconds):.2f} h ({_clock(start, seconds)})"


def _labels(assets: Sequence[Asset], lang: str) -> dict[str, str]:
    """A unique row label per asset: its name, or its id; "name (id)" on clashes."""
    names = {a.id: text(a.name, lang) or a.id for a in assets}
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    return {aid: name if seen[name] == 1 else f"{name} ({aid})" for aid, name in names.items()}


def _title(bundle: ScenarioBundle, what: str, lang: str) -> str:
    scenario = text(bundle.scenario.scenario.title, lang) or bundle.scenario.scenario.id
    start = f"{bundle.scenario.start:%Y-%m-%d %H:%M}"
    return f"{scenario} — {_word(what, lang)} ({_word('start', lang)} {start})"


def _add_event_lines(
    fig: Any, bundle: ScenarioBundle, records: Sequence[Record], horizon: int, lang: str
) -> None:
    """A dotted vertical line per inject and decision, with hover text on a marker."""
    start = bundle.scenario.start
    for r in records:
        if r.event not in EVENT_COLORS or r.t > horizon:
            continue
        x = _h(r.t)
        color = EVENT_COLORS[r.event]
        fig.add_shape(
            type="line",
            x0=x,
            x1=x,
            xref="x",
            y0=0,
            y1=1,
            yref="paper",
            line={"color": color, "width": 1, "dash": "dot"},
        )
        name = (r.cause or "").split(":", 1)[-1] or r.event
        what = _word(r.event, lang)
        hover = f"<b>{html.escape(what)}: {html.escape(name)}</b><br>{_when(start, r.t)}"
        if r.detail:
            hover += f"<br>{html.escape(r.detail)}"
        fig.add_annotation(
            x=x,
            xref="x",
            y=1,
            yref="paper",
            yanchor="bottom",
            text="▼",
            showarrow=False,
            font={"color": color, "size": 10},
            hovertext=hover,
        )


def _affected(asset: Asset, segs: Sequence[Segment]) -> bool:
    """Did the asset ever leave the state it started in (up, or standby)?"""
    _, initial = initial_condition(asset)
    return any(s.state != initial for s in segs)


def timeline_figure(
    bundle: ScenarioBundle,
    records: Sequence[Record],
    horizon: int,
    lang: str = "en",
    *,
    all_assets: bool = False,
) -> go.Figure:
    """Outage timeline: one row per asset that left normal operation (every
    asset with `all_assets`), grouped by kind (sites and utilities first,
    processes last), a bar per state stretch coloured by state, x in hours
    from the start; injects and decisions as dotted vertical lines."""
    start = bundle.scenario.start
    assets = bundle.company.assets
    segments = asset_segments(bundle, records, horizon)
    labels = _labels(assets, lang)
    rows = sorted(
        (a for a in assets if all_assets or _affected(a, segments[a.id])),
        key=lambda a: KIND_ORDER[a.kind],
    )
    fig = go.Figure()
    for state in STATE_ORDER:
        ys: list[str] = []
        bases: list[float] = []
        lengths: list[float] = []
        custom: list[list[str]] = []
        for a in rows:
            for s in segments[a.id]:
                if s.state != state or s.end <= s.start:
                    continue
                ys.append(labels[a.id])
                bases.append(_h(s.start))
                lengths.append(_h(s.end - s.start))
                custom.append(
                    [
                        html.escape(text(a.name, lang) or a.id),
                        a.id,
                        _word(state, lang),
                        f"{s.capacity:.0%}",
                        _when(start, s.start),
                        _when(start, s.end),
                    ]
                )
        if not ys:
            continue
        fig.add_trace(
            go.Bar(
                name=_word(state, lang),
                orientation="h",
                y=ys,
                base=bases,
                x=lengths,
                marker={"color": STATE_COLORS[state]},
                customdata=custom,
                hovertemplate=(
                    "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
                    "%{customdata[2]}, %{customdata[3]}<br>"
                    "%{customdata[4]} – %{customdata[5]}<extra></extra>"
                ),
            )
        )
    _add_event_lines(fig, bundle, records, horizon, lang)
    row_labels = [labels[a.id] for a in rows]
    fig.update_layout(
        title={"text": _title(bundle, "timeline", lang)},
        barmode="overlay",
        height=max(320, 160 + 28 * len(rows)),
        xaxis={"title": {"text": _word("hours", lang)}, "range": [0, _h(horizon)]},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": row_labels,
            "autorange": "reversed",
        },
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        margin={"t": 90},
    )
    if not rows:
        fig.add_annotation(
            text=_word("nothing", lang),
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
        )
    return fig


def process_capacity_figure(
    bundle: ScenarioBundle, records: Sequence[Record], horizon: int, lang: str = "en"
) -> go.Figure:
    """Capacity of each business process over time, with its MBCO as a dashed
    line in the same colour; injects and decisions as dotted vertical lines."""
    processes = [a for a in bundle.company.assets if a.kind == AssetKind.business_process]
    labels = _labels(bundle.company.assets, lang)
    palette: list[str] = list(qualitative.Plotly)
    segments = asset_segments(bundle, records, horizon)
    fig = go.Figure()
    for i, p in enumerate(processes):
        color = palette[i % len(palette)]
        segs = segments[p.id]
        points = [(seg.start, seg.capacity) for seg in segs] + [(horizon, segs[-1].capacity)]
        fig.add_trace(
            go.Scatter(
                name=labels[p.id],
                legendgroup=p.id,
                x=[_h(t) for t, _ in points],
                y=[c for _, c in points],
                mode="lines",
                line={"color": color, "shape": "hv"},
                hovertemplate=f"{html.escape(labels[p.id])}<br>%{{x:.2f}} h: %{{y:.0%}}"
                "<extra></extra>",
            )
        )
        if p.bia is not None:
            fig.add_trace(
                go.Scatter(
                    name=f"MBCO {labels[p.id]}",
                    legendgroup=p.id,
                    showlegend=False,
                    x=[0.0, _h(horizon)],
                    y=[p.bia.mbco, p.bia.mbco],
                    mode="lines",
                    line={"color": color, "dash": "dash", "width": 1},
                    hovertemplate=f"MBCO {html.escape(labels[p.id])}: %{{y:.0%}}<extra></extra>",
                )
            )
    _add_event_lines(fig, bundle, records, horizon, lang)
    fig.update_layout(
        title={"text": _title(bundle, "capacity", lang)},
        xaxis={"title": {"text": _word("hours", lang)}, "range": [0, _h(horizon)]},
        yaxis={
            "title": {"text": _word("capacity_axis", lang)},
            "range": [-0.05, 1.05],
            "tickformat": ".0%",
        },
        margin={"t": 90},
    )
    return fig


def impact_figure(
    bundle: ScenarioBundle, records: Sequence[Record], horizon: int, lang: str = "en"
) -> go.Figure:
    """Cumulative financial impact (EUR) of all processes over time."""
    points = impact_series(bundle, records, horizon)
    fig = go.Figure(
        go.Scatter(
            name=_word("total", lang),
            x=[_h(t) for t, _ in points],
            y=[eur for _, eur in points],
            mode="lines",
            fill="tozeroy",
            line={"color": "#d62728"},
            hovertemplate="%{x:.2f} h: %{y:,.2f} EUR<extra></extra>",
        )
    )
    _add_event_lines(fig, bundle, records, horizon, lang)
    fig.update_layout(
        title={"text": _title(bundle, "impact", lang)},
        xaxis={"title": {"text": _word("hours", lang)}, "range": [0, _h(horizon)]},
        yaxis={"title": {"text": _word("impact_axis", lang)}, "tickformat": ",.0f"},
        margin={"t": 90},
    )
    return fig


def timeline_html(fig: go.Figure) -> str:
    """A complete standalone HTML document with plotly.js inlined (no CDN):
    opens offline. About 4.8 MB, mostly plotly.js."""
    page: str = fig.to_html(full_html=True, include_plotlyjs=True, config={"displaylogo": False})
    title = fig.layout.title.text
    if title:
        page = page.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>", 1)
    return page
