"""Plotly figures built from data (no Streamlit): bars with margins of error, rankings, scatter
plots, disparity ratios and race-iterated gaps. Colours are the Okabe-Ito colour-blind-safe set.

Every name a figure shows goes through :func:`chart_text` (plotly reads HTML tags in labels,
hover text and titles), and no name is written into a hover template (its ``%{...}`` would be
filled in): templates refer to the escaped values instead.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from indicators.metrics.registry import Indicator
from indicators.present.formatting import format_value

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HIGHLIGHT, MUTED, REGION = "#0072B2", "#b8c4cc", "#D55E00"
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 14}


def chart_text(value: object) -> str:
    """Text as a plotly figure shows it literally: plotly reads ``<b>``, ``<br>``, ``<a href>``
    and ``<span style>`` in every label, hover text and title (and drops tags it does not know),
    then decodes entities, so escaping ``&``, ``<`` and ``>`` makes a name read exactly as it
    was written. Missing values show as nothing.

    Examples
    --------
    >>> chart_text("<img src=x onerror=alert(1)> & Oak"), chart_text(None)
    ('&lt;img src=x onerror=alert(1)&gt; &amp; Oak', '')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=False)


def chart_labels(values: Iterable[object]) -> list[str]:
    """:func:`chart_text` of each value (a figure's categories, texts or names)."""
    return [chart_text(v) for v in values]


def _scale(indicator: Indicator) -> float:
    """Rates are stored 0-1 and drawn in percent."""
    return 100.0 if indicator.fmt in ("percent", "points", "percentile") else 1.0


def _axis_title(indicator: Indicator) -> str:
    unit = {"percent": "%", "points": "percentage points", "percentile": "percentile",
            "dollars": "$"}.get(indicator.fmt, indicator.unit)
    return f"{indicator.label} ({unit})"


def layout(fig: go.Figure, height: int) -> go.Figure:
    """The house style: white ground, the font, no legend, light grid, ``height`` px."""
    fig.update_layout(height=height, margin={"l": 10, "r": 20, "t": 40, "b": 10}, font=FONT,
                      plot_bgcolor="white", paper_bgcolor="white", showlegend=False)
    fig.update_xaxes(gridcolor="#e5e5e5", zeroline=True, zerolinecolor="#999")
    return fig


def bars_with_moe(frame: pd.DataFrame, indicator: Indicator, region_value: float | None,
                  region_name: str, highlight: list[str] | None = None) -> go.Figure:
    """Horizontal bars (one per geography) with 90 % MOE error bars and the region as a line.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``name``, ``value``, ``moe`` (and optionally ``reliability``).
    highlight : list of str, optional
        Names drawn in the highlight colour (the rest muted); all highlighted when omitted.
    """
    k = _scale(indicator)
    frame = frame.sort_values("value")
    colours = [HIGHLIGHT if highlight is None or n in highlight else MUTED for n in frame["name"]]
    text = [format_value(indicator, v) for v in frame["value"]]
    fig = go.Figure(go.Bar(
        y=chart_labels(frame["name"]), x=frame["value"] * k, orientation="h", marker_color=colours,
        text=text,
        textposition="inside", insidetextanchor="start", textfont={"color": "white"},
        error_x={"type": "data", "array": (frame["moe"].fillna(0) * k).to_numpy(),
                 "visible": bool(frame["moe"].notna().any()), "color": "#333", "thickness": 1.2},
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    if region_value is not None and np.isfinite(region_value):
        fig.add_vline(x=region_value * k, line_dash="dash", line_color=REGION,
                      annotation_text=chart_text(f"{region_name}: {format_value(indicator, region_value)}"),
                      annotation_position="top")
    fig.update_xaxes(title_text=_axis_title(indicator))
    return layout(fig, max(220, 36 * len(frame) + 90))


def scatter(frame: pd.DataFrame, x: Indicator, y: Indicator, highlight: list[str]) -> go.Figure:
    """Districts as points on two indicators, the chosen ones labelled and highlighted."""
    kx, ky = _scale(x), _scale(y)
    chosen = frame["name"].isin(highlight)
    fig = go.Figure()
    for mask, colour, size, show in ((~chosen, MUTED, 10, False), (chosen, HIGHLIGHT, 14, True)):
        part = frame[mask]
        fig.add_trace(go.Scatter(
            x=part["x"] * kx, y=part["y"] * ky, mode="markers+text" if show else "markers",
            text=chart_labels(part["name"]), textposition="top center",
            marker={"color": colour, "size": size, "line": {"color": "white", "width": 1}},
            hovertemplate="%{text}<br>" + chart_text(x.label) + ": %{x:.3g}<br>"
                          + chart_text(y.label) + ": %{y:.3g}<extra></extra>",
        ))
    fig.update_xaxes(title_text=_axis_title(x))
    fig.update_yaxes(title_text=_axis_title(y), gridcolor="#e5e5e5")
    return layout(fig, 420)


def disparity_bars(frame: pd.DataFrame) -> go.Figure:
    """Ratio of each indicator in majority-POC to majority-White areas, on a log axis around 1,
    coloured by who is worse off (orange: people-of-colour areas; blue: White areas).

    ``frame`` needs ``label``, ``ratio`` and ``direction``; rows whose ratio is not positive
    (signed values such as a temperature anomaly) cannot be drawn on a ratio scale and are left
    to the table.
    """
    frame = frame[frame["ratio"] > 0].sort_values("ratio")
    worse = np.where(frame["direction"] == "higher_better", frame["ratio"] < 1, frame["ratio"] > 1)
    colours = [OKABE_ITO[5] if w else OKABE_ITO[0] for w in worse]
    fig = go.Figure(go.Bar(
        y=chart_labels(frame["label"]), x=frame["ratio"], orientation="h", marker_color=colours,
        text=[f"{r:.2f}x" for r in frame["ratio"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.2f} times<extra></extra>",
    ))
    fig.add_vline(x=1.0, line_color="#333")
    fig.update_xaxes(type="log", title_text="majority people-of-colour areas / majority-White areas")
    return layout(fig, max(260, 26 * len(frame) + 90))


def race_gap_bars(frame: pd.DataFrame, measure: str, money: bool) -> go.Figure:
    """Black and White householders side by side for each geography."""
    fig = go.Figure()
    k = 1.0 if money else 100.0
    for group, colour in (("white", OKABE_ITO[1]), ("black", OKABE_ITO[0])):
        fig.add_trace(go.Bar(
            y=chart_labels(frame["name"]), x=frame[group] * k, name=f"{group.title()} householders",
            orientation="h", marker_color=colour,
            error_x={"type": "data", "array": (frame[f"{group}_moe"].fillna(0) * k).to_numpy(),
                     "visible": bool(frame[f"{group}_moe"].notna().any()), "color": "#333"},
        ))
    fig.update_layout(barmode="group", showlegend=True,
                      legend={"orientation": "h", "y": -0.15})
    fig.update_xaxes(title_text=chart_text(measure) + (" ($)" if money else " (%)"))
    fig = layout(fig, max(260, 48 * len(frame) + 110))
    fig.update_layout(showlegend=True)
    return fig


def trend_chart(frame: pd.DataFrame, indicator: Indicator, periods: tuple[str, ...],
                region_name: str) -> go.Figure:
    """One line per geography across the periods, each point with its 90 % MOE as an error bar;
    the region dashed.

    ``frame`` needs ``name``, ``period``, ``value`` and ``moe`` (one row per geography and
    period; a geography missing a period has a gap there).
    """
    k = _scale(indicator)
    fig = go.Figure()
    names = [n for n in dict.fromkeys(frame["name"]) if n != region_name]
    for n, name in enumerate([*names, region_name]):
        part = frame[frame["name"] == name].set_index("period").reindex(list(periods))
        if part["value"].isna().all():
            continue
        is_region = name == region_name
        colour = REGION if is_region else OKABE_ITO[n % 5 if n % 5 != 1 else 4]
        fig.add_trace(go.Scatter(
            x=list(periods), y=part["value"] * k, mode="lines+markers", name=chart_text(name),
            line={"color": colour, "dash": "dash" if is_region else "solid", "width": 2.5},
            marker={"size": 9, "color": colour},
            error_y={"type": "data", "array": (part["moe"].fillna(0) * k).to_numpy(),
                     "visible": bool(part["moe"].notna().any()), "color": colour, "thickness": 1.2},
            text=[format_value(indicator, v) for v in part["value"]],
            hovertemplate="%{fullData.name}, %{x}: %{text}<extra></extra>",
        ))
    fig.update_xaxes(title_text="ACS period", type="category", zeroline=False)
    fig.update_yaxes(title_text=_axis_title(indicator), gridcolor="#e5e5e5")
    fig = layout(fig, 380)
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.25})
    return fig
