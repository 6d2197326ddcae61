"""Plotly figures of a run: outage timeline, process capacity, cumulative impact.

The only simulator module that imports plotly. Figures are built from the
record stream with `simulator.analysis.metrics`; writing files is `simulator.readwrite.io`'s job.
Exported HTML inlines plotly.js (never a CDN), so reports open offline.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import plotly.graph_objects as go
from plotly.colors import qualitative

from simulator.analysis.metrics import (
    SECONDS_PER_HOUR,
    Segment,
    asset_segments,
    impact_series,
    initial_condition,
)
from simulator.analysis.montecarlo import MonteCarloResult, wilson
from simulator.analysis.sweep import Sensitivity, SweepPoint
from simulator.engine.records import EVENT_DECISION, EVENT_INJECT, Record
from simulator.model.schema import Asset, AssetKind, ScenarioBundle, text
from simulator.terms.durations import parse_duration
from simulator.terms.wallclock import at, short, stamp

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
        "hours": "hours since start; clock times {zone}",
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
        "hours": "Stunden seit Start; Uhrzeiten {zone}",
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


def _when(start: datetime, seconds: float, lang: str) -> str:
    """'24.00 h (Sun 2026-03-29 13:00 CEST)': hours since the start and the
    calendar time in the scenario's zone (clock changes counted)."""
    return f"{_h(seconds):.2f} h ({stamp(at(start, seconds), lang)})"


TICK_STEPS_H = (1, 2, 3, 6, 12, 24, 48, 72, 168, 336, 672)


def _time_axis(bundle: ScenarioBundle, horizon: int, lang: str) -> dict[str, Any]:
    """An x axis in hours since the start whose ticks also give the calendar
    time in the scenario's zone ('24 h / So 29.03. 13:00 MESZ'). The axis stays
    linear in elapsed time (a clock change does not stretch it); the labels
    say what the clock on the wall showed, zone abbreviation included."""
    hours = _h(horizon)
    step = next((s for s in TICK_STEPS_H if hours / s <= 10), TICK_STEPS_H[-1])
    ticks = [float(step * i) for i in range(int(hours // step) + 1)]
    start = bundle.scenario.start
    text_ = [f"{h:g} h<br>{short(at(start, h * SECONDS_PER_HOUR), lang)}" for h in ticks]
    title = _word("hours", lang).format(zone=bundle.scenario.timezone)
    return {"title": {"text": title}, "range": [0, hours], "tickmode": "array",
            "tickvals": ticks, "ticktext": text_}  # fmt: skip


def _labels(assets: Sequence[Asset], lang: str) -> dict[str, str]:
    """A unique row label per asset: its name, or its id; "name (id)" on clashes."""
    names = {a.id: text(a.name, lang) or a.id for a in assets}
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    return {aid: name if seen[name] == 1 else f"{name} ({aid})" for aid, name in names.items()}


def _title(bundle: ScenarioBundle, what: str, lang: str) -> str:
    scenario = text(bundle.scenario.scenario.title, lang) or bundle.scenario.scenario.id
    start = stamp(bundle.scenario.start, lang)
    return f"{scenario} — {_word(what, lang)} ({_word('start', lang)} {start})"


def _add_event_lines(
    fig: Any, bundle: ScenarioBundle, records: Sequence[Record], horizon: int, lang: str
) -> None:
    """A dotted vertical line per inject and decision, with hover text on a marker."""
    start = bundle.scenario.start
    # The engine names a scripted inject by its English title: show it in `lang`.
    scripted = {f"inject:{e.id}": text(e.title, lang) for e in bundle.scenario.injects}
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
        hover = f"<b>{html.escape(what)}: {html.escape(name)}</b><br>{_when(start, r.t, lang)}"
        detail = scripted.get(r.cause or "") if r.event == EVENT_INJECT else None
        if detail or r.detail:
            hover += f"<br>{html.escape(detail or r.detail or '')}"
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
                        _when(start, s.start, lang),
                        _when(start, s.end, lang),
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
        xaxis=_time_axis(bundle, horizon, lang),
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
    start = bundle.scenario.start
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
                customdata=[_when(start, t, lang) for t, _ in points],
                mode="lines",
                line={"color": color, "shape": "hv"},
                hovertemplate=f"{html.escape(labels[p.id])}<br>%{{customdata}}: %{{y:.0%}}"
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
        xaxis=_time_axis(bundle, horizon, lang),
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
            customdata=[_when(bundle.scenario.start, t, lang) for t, _ in points],
            mode="lines",
            fill="tozeroy",
            line={"color": "#d62728"},
            hovertemplate="%{customdata}: %{y:,.2f} EUR<extra></extra>",
        )
    )
    _add_event_lines(fig, bundle, records, horizon, lang)
    fig.update_layout(
        title={"text": _title(bundle, "impact", lang)},
        xaxis=_time_axis(bundle, horizon, lang),
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


def report_html(title: str, lang: str, body: str, figs: Sequence[go.Figure]) -> str:
    """A complete standalone HTML report: `body` (HTML the caller escaped)
    followed by the figures, plotly.js inlined once (no CDN): opens offline."""
    parts = [fig.to_html(full_html=False, include_plotlyjs=i == 0,
                         config={"displaylogo": False}) for i, fig in enumerate(figs)]  # fmt: skip
    style = ("body{font-family:system-ui,sans-serif;margin:1.5rem;color:#243042}"
             "table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
             "th,td{border-bottom:1px solid #e6e9ef;padding:.25rem .6rem;text-align:left}"
             "td.num,th.num{text-align:right}.over{color:#b91c1c;font-weight:600}")  # fmt: skip
    return (f'<!doctype html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
            f"{body}\n{''.join(parts)}\n</body>\n</html>\n")  # fmt: skip


# --------------------------------------------------------------------------- Monte Carlo

_MC_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "downtime_h": "downtime (h)",
        "below_mbco_h": "time below MBCO (h)",
        "impact_eur": "impact (EUR)",
        "distribution": "{what} over {n} replications",
        "distribution_one": "{process}: {what} over {n} replications",
        "replications": "replications",
        "nothing_down": "No process was affected in any replication.",
        "breach": "Breach probabilities over {n} replications (95% intervals)",
        "rto": "RTO breach",
        "mtpd": "MTPD breach",
        "probability": "probability",
        "tornado": "Sensitivity of {metric}",
        "base": "base",
        "low": "low value",
        "high": "high value",
        "convergence": "{process}: running estimate of P({breach} breach)",
        "estimate": "estimate",
        "interval": "95% interval",
        "n": "replications n",
        "sweep": "{process}: {metric} against {parameter}",
        "target": "target",
    },
    "de": {
        "downtime_h": "Ausfallzeit (h)",
        "below_mbco_h": "Zeit unter dem Notbetriebsniveau (h)",
        "impact_eur": "Schaden (EUR)",
        "distribution": "{what} in {n} Durchläufen",
        "distribution_one": "{process}: {what} in {n} Durchläufen",
        "replications": "Durchläufe",
        "nothing_down": "In keinem Durchlauf war ein Prozess betroffen.",
        "breach": "Überschreitungswahrscheinlichkeiten in {n} Durchläufen (95-%-Intervalle)",
        "rto": "WAZ überschritten",
        "mtpd": "MTA überschritten",
        "probability": "Wahrscheinlichkeit",
        "tornado": "Sensitivität von {metric}",
        "base": "Basis",
        "low": "unterer Wert",
        "high": "oberer Wert",
        "convergence": "{process}: laufende Schätzung von P({breach} überschritten)",
        "estimate": "Schätzung",
        "interval": "95-%-Intervall",
        "n": "Durchläufe n",
        "sweep": "{process}: {metric} über {parameter}",
        "target": "Ziel",
    },
}
_BREACH_NAMES = {"en": {"rto": "RTO", "mtpd": "MTPD"}, "de": {"rto": "WAZ", "mtpd": "MTA"}}
_BREACH_COLORS = {"rto": "#f0a202", "mtpd": "#d62728"}
OUTCOME_METRICS = ("downtime_h", "below_mbco_h", "impact_eur")


def _mc(key: str, lang: str, **values: object) -> str:
    return _MC_WORDS.get(lang, _MC_WORDS["en"])[key].format(**values)


def _process_labels(bundle: ScenarioBundle | None, ids: Sequence[str], lang: str) -> list[str]:
    if bundle is None:
        return list(ids)
    labels = _labels(bundle.company.assets, lang)
    return [labels.get(i, i) for i in ids]


def _by_process(result: MonteCarloResult, metric: str) -> dict[str, list[float]]:
    """Each process's values of an Outcome field, in replication order."""
    if metric not in OUTCOME_METRICS:
        raise ValueError(f"metric must be one of {', '.join(OUTCOME_METRICS)}, not {metric!r}")
    out: dict[str, list[float]] = {p.id: [] for p in result.processes}
    for o in sorted(result.outcomes, key=lambda o: o.replication):
        out.setdefault(o.process, []).append(float(getattr(o, metric)))
    return out


def downtime_distribution_figure(
    result: MonteCarloResult,
    process: str | None = None,
    *,
    metric: str = "downtime_h",
    bundle: ScenarioBundle | None = None,
    lang: str = "en",
) -> go.Figure:
    """How a Monte Carlo outcome spreads over the replications.

    Without `process`: one horizontal box per business process that was hit
    in some replication (`metric` > 0), in result order, the first on top.
    With `process`: a histogram of that process's values; with `bundle` and a
    time metric, its RTO and MTPD as vertical lines. `metric` is an Outcome
    field: "downtime_h" (capacity 0), "below_mbco_h" or "impact_eur";
    `bundle` also gives the processes' names.
    """
    values = _by_process(result, metric)
    what = _mc(metric, lang)
    fig = go.Figure()
    if process is None:
        hit = [pid for pid, v in values.items() if any(x > 0 for x in v)]
        for pid, label in zip(hit, _process_labels(bundle, hit, lang), strict=True):
            fig.add_trace(go.Box(name=label, x=values[pid], orientation="h",
                                 boxpoints="outliers", marker={"color": "#1f3b73"},
                                 line={"color": "#1f3b73"}))  # fmt: skip
        fig.update_layout(
            title={"text": _mc("distribution", lang, what=what, n=result.n)},
            xaxis={"title": {"text": what}},
            yaxis={"autorange": "reversed"},
            showlegend=False,
            height=max(320, 160 + 36 * len(hit)),
        )
        if not hit:
            fig.add_annotation(text=_mc("nothing_down", lang), xref="paper", yref="paper",
                               x=0.5, y=0.5, showarrow=False)  # fmt: skip
        return fig
    if process not in values:
        raise KeyError(process)
    (label,) = _process_labels(bundle, [process], lang)
    fig.add_trace(go.Histogram(name=label, x=values[process], marker={"color": "#1f3b73"}))
    asset = None if bundle is None else next(
        (a for a in bundle.company.assets if a.id == process), None)  # fmt: skip
    if asset is not None and asset.bia is not None and metric != "impact_eur":
        names = _BREACH_NAMES.get(lang, _BREACH_NAMES["en"])
        for key, seconds in (("rto", asset.bia.rto), ("mtpd", asset.bia.mtpd)):
            fig.add_vline(x=_h(seconds), line={"color": _BREACH_COLORS[key], "dash": "dash"},
                          annotation_text=names[key])  # fmt: skip
    fig.update_layout(
        title={"text": _mc("distribution_one", lang, process=label, what=what, n=result.n)},
        xaxis={"title": {"text": what}},
        yaxis={"title": {"text": _mc("replications", lang)}},
        bargap=0.05,
    )
    return fig


def breach_probability_figure(
    result: MonteCarloResult, *, bundle: ScenarioBundle | None = None, lang: str = "en"
) -> go.Figure:
    """P(RTO breach) and P(MTPD breach) of every business process as grouped
    bars, with their 95% Wilson intervals as error bars."""
    ids = [p.id for p in result.processes]
    labels = _process_labels(bundle, ids, lang)
    fig = go.Figure()
    for key in ("rto", "mtpd"):
        p = [getattr(s, f"p_{key}_breach") for s in result.processes]
        ci = [getattr(s, f"p_{key}_breach_ci") for s in result.processes]
        fig.add_trace(go.Bar(
            name=_mc(key, lang), x=labels, y=p, marker={"color": _BREACH_COLORS[key]},
            error_y={"type": "data", "symmetric": False,
                     "array": [hi - v for v, (_, hi) in zip(p, ci, strict=True)],
                     "arrayminus": [v - lo for v, (lo, _) in zip(p, ci, strict=True)]},
            customdata=[[lo, hi] for lo, hi in ci],
            hovertemplate="%{x}: %{y:.1%} (%{customdata[0]:.1%} – %{customdata[1]:.1%})"
            "<extra></extra>",
        ))  # fmt: skip
    fig.update_layout(
        title={"text": _mc("breach", lang, n=result.n)},
        barmode="group",
        yaxis={"title": {"text": _mc("probability", lang)}, "range": [0, 1.05],
               "tickformat": ".0%"},
        xaxis={"tickangle": -40},
    )  # fmt: skip
    return fig


def _value_text(value: Any) -> str:
    return value if isinstance(value, str) else f"{value:g}"


def _number(value: float) -> str:
    """12,345 for large figures, 0.123 for small ones."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def tornado_figure(
    bars: Sequence[Sensitivity], metric: str = "metric", *, lang: str = "en"
) -> go.Figure:
    """One-at-a-time sensitivity as a tornado: per parameter (largest swing
    on top) a bar from the base value to the metric at the parameter's low
    value and one to the metric at its high value; `metric` labels the axis."""
    rows = [f"{b.parameter.split('.', 1)[-1]} ({_value_text(b.low)} – {_value_text(b.high)})"
            for b in bars]  # fmt: skip
    base = bars[0].base if bars else 0.0
    fig = go.Figure()
    for key, color in (("low", "#1f77b4"), ("high", "#ff7f0e")):
        at = [getattr(b, f"at_{key}") for b in bars]
        fig.add_trace(go.Bar(
            name=_mc(key, lang), orientation="h", y=rows, base=[b.base for b in bars],
            x=[v - b.base for v, b in zip(at, bars, strict=True)], marker={"color": color},
            customdata=[[_value_text(getattr(b, key)), v] for b, v in zip(bars, at, strict=True)],
            hovertemplate="%{y}<br>" + key + " = %{customdata[0]}: %{customdata[1]:,.4~g}"
            "<extra></extra>",
        ))  # fmt: skip
    fig.add_vline(x=base, line={"color": "#444", "width": 1},
                  annotation_text=f"{_mc('base', lang)} {_number(base)}")  # fmt: skip
    fig.update_layout(
        title={"text": _mc("tornado", lang, metric=metric)},
        barmode="overlay",
        xaxis={"title": {"text": metric}},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": rows,
               "autorange": "reversed"},
        height=max(320, 180 + 40 * len(bars)),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1},
    )  # fmt: skip
    return fig


def running_breach_estimate(
    result: MonteCarloResult, process: str, breach: str = "mtpd"
) -> list[tuple[int, float, float, float]]:
    """(n, estimate, 95% low, 95% high) of P(breach) after each of the first n
    replications of `process`, in replication order."""
    if breach not in ("rto", "mtpd"):
        raise ValueError(f"breach must be 'rto' or 'mtpd', not {breach!r}")
    flags = [getattr(o, f"{breach}_breached")
             for o in sorted(result.outcomes, key=lambda o: o.replication)
             if o.process == process]  # fmt: skip
    if not flags:
        raise KeyError(process)
    out = []
    k = 0
    for n, flag in enumerate(flags, start=1):
        k += bool(flag)
        lo, hi = wilson(k, n)
        out.append((n, k / n, lo, hi))
    return out


def convergence_figure(
    result: MonteCarloResult,
    process: str,
    *,
    breach: str = "mtpd",
    bundle: ScenarioBundle | None = None,
    lang: str = "en",
) -> go.Figure:
    """The running estimate of P(MTPD breach) (or RTO with `breach="rto"`) of
    one process against the number of replications, with its 95% Wilson
    interval as a band: how many replications the estimate needs to settle.
    `bundle` gives the process's name for the title."""
    rows = running_breach_estimate(result, process, breach)
    (label,) = _process_labels(bundle, [process], lang)
    n = [r[0] for r in rows]
    name = _BREACH_NAMES.get(lang, _BREACH_NAMES["en"])[breach]
    fig = go.Figure()
    fig.add_trace(go.Scatter(name=_mc("interval", lang), x=n, y=[r[3] for r in rows],
                             mode="lines", line={"width": 0}, showlegend=False,
                             hoverinfo="skip"))  # fmt: skip
    fig.add_trace(go.Scatter(name=_mc("interval", lang), x=n, y=[r[2] for r in rows],
                             mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(214, 39, 40, 0.2)", hoverinfo="skip"))  # fmt: skip
    fig.add_trace(go.Scatter(
        name=_mc("estimate", lang), x=n, y=[r[1] for r in rows], mode="lines",
        line={"color": _BREACH_COLORS[breach]}, customdata=[[r[2], r[3]] for r in rows],
        hovertemplate="n = %{x}: %{y:.1%} (%{customdata[0]:.1%} – %{customdata[1]:.1%})"
        "<extra></extra>",
    ))  # fmt: skip
    fig.update_layout(
        title={"text": _mc("convergence", lang, process=label, breach=name)},
        xaxis={"title": {"text": _mc("n", lang)}},
        yaxis={"title": {"text": _mc("probability", lang)}, "range": [0, 1],
               "tickformat": ".0%"},
    )  # fmt: skip
    return fig


def _numeric(value: Any) -> tuple[float, bool]:
    """A parameter value as a number for an axis: durations in hours (and
    whether it was a duration)."""
    if isinstance(value, str):
        return parse_duration(value) / SECONDS_PER_HOUR, True
    return float(value), False


def sweep_figure(
    points: Sequence[SweepPoint],
    parameter: str,
    process: str,
    *,
    metric: str = "p_mtpd_breach",
    target: float | None = None,
    lang: str = "en",
) -> go.Figure:
    """A sweep's `metric` (a ProcessStats field) of one process against one
    parameter; durations are shown in hours. Probabilities carry their 95%
    intervals as error bars. Other parameters of the grid give one line per
    combination of their values; `target` draws a dashed horizontal line."""
    others = [k for k in (points[0].values if points else {}) if k != parameter]
    lines: dict[tuple[Any, ...], list[SweepPoint]] = {}
    for point in points:
        lines.setdefault(tuple(point.values[k] for k in others), []).append(point)
    has_ci = metric.startswith("p_") and metric.endswith("_breach")
    in_hours = False
    fig = go.Figure()
    for key, members in lines.items():
        xs = []
        for point in members:
            x, is_duration = _numeric(point.values[parameter])
            xs.append(x)
            in_hours = in_hours or is_duration
        stats = [point.result.process(process) for point in members]
        ys = [float(getattr(s, metric)) for s in stats]
        order = sorted(range(len(xs)), key=xs.__getitem__)
        name = ", ".join(f"{'.'.join(k.split('.')[-2:])} = {_value_text(v)}"
                         for k, v in zip(others, key, strict=True)) or process  # fmt: skip
        error: dict[str, Any] | None = None
        if has_ci:
            ci = [getattr(s, f"{metric}_ci") for s in stats]
            error = {"type": "data", "symmetric": False,
                     "array": [ci[i][1] - ys[i] for i in order],
                     "arrayminus": [ys[i] - ci[i][0] for i in order]}  # fmt: skip
        fig.add_trace(go.Scatter(
            name=name, x=[xs[i] for i in order], y=[ys[i] for i in order],
            mode="lines+markers", error_y=error,
            customdata=[_value_text(members[i].values[parameter]) for i in order],
            hovertemplate="%{customdata}: %{y:.4g}<extra>" + html.escape(name) + "</extra>",
        ))  # fmt: skip
    if target is not None:
        fig.add_hline(y=target, line={"color": "#444", "dash": "dash"},
                      annotation_text=f"{_mc('target', lang)} {target:g}")  # fmt: skip
    label = parameter.split(".", 1)[-1] + (" (h)" if in_hours else "")
    yaxis: dict[str, Any] = {"title": {"text": metric}}
    if has_ci:
        yaxis.update(range=[-0.02, 1.02], tickformat=".0%")
    fig.update_layout(
        title={"text": _mc("sweep", lang, process=process, metric=metric,
                           parameter=parameter.split(".", 1)[-1])},
        xaxis={"title": {"text": label}},
        yaxis=yaxis,
        showlegend=bool(others),
    )  # fmt: skip
    return fig
