"""Plotly figures built from data (no Streamlit): bars with margins of error, rankings, scatter
plots, disparity ratios and race-iterated gaps. Colours are the Okabe-Ito colour-blind-safe set
(Okabe and Ito 2008, as in Wong, *Nature Methods* 2011); lines also differ by marker shape, so
no series is told by colour alone.

Every figure has a title (``layout.title``) and a ``*_summary`` function that says in one
sentence, from the same data, what it shows: the page draws it under the chart, for readers
who cannot see the chart (a screen reader reads no plotly figure).

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

#: Okabe-Ito: blue, orange, bluish green, reddish purple, sky blue, vermillion, yellow, black.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HIGHLIGHT, MUTED, REGION = "#0072B2", "#b8c4cc", "#D55E00"
#: Trend lines: the Okabe-Ito colours other than the region's vermillion (and orange, close to
#: it) and yellow (too light on white), each with its own marker shape.
LINE_COLOURS = (OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[3], OKABE_ITO[7], OKABE_ITO[4])
LINE_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "star", "x", "hexagon")
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


def layout(fig: go.Figure, height: int, title: str = "") -> go.Figure:
    """The house style: white ground, the font, no legend, light grid, ``height`` px, and the
    figure's ``title`` (escaped, see :func:`chart_text`) at its top left."""
    fig.update_layout(height=height, margin={"l": 10, "r": 20, "t": 60 if title else 40, "b": 10},
                      font=FONT, plot_bgcolor="white", paper_bgcolor="white", showlegend=False)
    if title:
        fig.update_layout(title={"text": chart_text(title), "x": 0.01, "xanchor": "left",
                                 "font": {"size": 16, "color": "#1b1b1b"}})
    fig.update_xaxes(gridcolor="#e5e5e5", zeroline=True, zerolinecolor="#999")
    return fig


def _extremes(names: pd.Series, values: pd.Series) -> tuple[str, float, str, float]:
    """The highest and the lowest (name and value), ties to the first name alphabetically."""
    frame = pd.DataFrame({"name": names.astype(str).to_numpy(), "value": values.to_numpy(dtype=float)})
    frame = frame.dropna().sort_values(["name"], kind="stable")
    high = frame.sort_values("value", ascending=False, kind="stable").iloc[0]
    low = frame.sort_values("value", kind="stable").iloc[0]
    return high["name"], high["value"], low["name"], low["value"]


def bars_summary(frame: pd.DataFrame, indicator: Indicator, region_value: float | None,
                 region_name: str) -> str:
    """What :func:`bars_with_moe` shows, in one sentence: the highest and the lowest bar, and
    the region.

    >>> from indicators.metrics.registry import get
    >>> bars = pd.DataFrame({"name": ["Westside", "Eastside", "Downtown"],
    ...                      "value": [0.51, 0.22, 0.4]})
    >>> bars_summary(bars, get("rent_burden"), 0.35, "Sample City")
    'Westside has the highest rent burden, 51%; Eastside the lowest, 22%; Sample City as a whole: 35%.'
    >>> bars_summary(bars.iloc[:1], get("rent_burden"), None, "Sample City")
    'Westside: 51% rent burden.'
    """
    label = _in_sentence(indicator.label)
    shown = frame.dropna(subset=["value"])
    if shown.empty:
        return f"No district shown has a value for {label}."
    whole = ("" if region_value is None or not np.isfinite(region_value)
             else f"; {region_name} as a whole: {format_value(indicator, region_value)}")
    if len(shown) == 1:
        row = shown.iloc[0]
        return f"{row['name']}: {format_value(indicator, row['value'])} {label}{whole}."
    high, high_value, low, low_value = _extremes(shown["name"], shown["value"])
    return (f"{high} has the highest {label}, {format_value(indicator, high_value)}; {low} the "
            f"lowest, {format_value(indicator, low_value)}{whole}.")


def _in_sentence(label: str) -> str:
    return label if len(label) > 1 and label[1].isupper() else label[:1].lower() + label[1:]


def bars_with_moe(frame: pd.DataFrame, indicator: Indicator, region_value: float | None,
                  region_name: str, highlight: list[str] | None = None,
                  title: str = "") -> go.Figure:
    """Horizontal bars (one per geography) with 90 % MOE error bars and the region as a line.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``name``, ``value``, ``moe`` (and optionally ``reliability``).
    highlight : list of str, optional
        Names drawn in the highlight colour (the rest muted); all highlighted when omitted.
    title : str, optional
        The figure's title (by default the indicator's label, by district).
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
    return layout(fig, max(240, 36 * len(frame) + 110), title or f"{indicator.label}, by district")


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
    return layout(fig, 440, f"{y.label} against {x.label}, by district")


#: Correlations (Pearson's r) read in words: at least this strong, in this many words.
CORRELATION_WORDS = ((0.7, "strongly"), (0.4, "clearly"), (0.2, "slightly"))


def scatter_summary(frame: pd.DataFrame, x: Indicator, y: Indicator) -> str:
    """What :func:`scatter` shows, in one sentence: whether districts higher on one indicator
    tend to be higher (or lower) on the other, by Pearson's correlation.

    >>> from indicators.metrics.registry import get
    >>> points = pd.DataFrame({"name": list("abcd"), "x": [0.1, 0.2, 0.3, 0.4],
    ...                        "y": [8.0, 9.5, 10.0, 12.0]})
    >>> scatter_summary(points, get("poverty"), get("asthma"))
    'Across the 4 districts, those with more poverty strongly tend to have more asthma (correlation 0.98).'
    """
    shown = frame.dropna(subset=["x", "y"])
    xl, yl = _in_sentence(x.label), _in_sentence(y.label)
    if len(shown) < 3 or shown["x"].nunique() < 2 or shown["y"].nunique() < 2:
        return f"Too few districts with both {xl} and {yl} to see a pattern ({len(shown)})."
    r = float(np.corrcoef(shown["x"].astype(float), shown["y"].astype(float))[0, 1])
    strength = next((w for limit, w in CORRELATION_WORDS if abs(r) >= limit), "")
    if not strength:
        return (f"Across the {len(shown)} districts, {xl} and {yl} show little relation "
                f"(correlation {r:.2f}).")
    more = "more" if r > 0 else "less"
    return (f"Across the {len(shown)} districts, those with more {xl} {strength} tend to have "
            f"{more} {yl} (correlation {r:.2f}).")


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
    return layout(fig, max(280, 26 * len(frame) + 110),
                  "Each indicator in majority people-of-colour areas, as a ratio to majority-White")


def disparity_summary(frame: pd.DataFrame) -> str:
    """What :func:`disparity_bars` shows, in one sentence: on how many indicators
    people-of-colour areas are worse off, and the largest ratio.

    >>> frame = pd.DataFrame({"label": ["Poverty", "Homeownership", "Asthma"],
    ...                       "ratio": [2.1, 0.6, 1.1],
    ...                       "direction": ["higher_worse", "higher_better", "higher_worse"]})
    >>> print(disparity_summary(frame))  # doctest: +NORMALIZE_WHITESPACE
    Majority people-of-colour areas are worse off on 3 of the 3 indicators drawn; the largest
    gap is in poverty, 2.10 times as high.
    """
    shown = frame[frame["ratio"] > 0]
    if shown.empty:
        return "No indicator has a ratio to draw."
    worse = np.where(shown["direction"] == "higher_better", shown["ratio"] < 1, shown["ratio"] > 1)
    far = shown.assign(size=np.abs(np.log(shown["ratio"].astype(float)))).sort_values(
        ["size", "label"], ascending=[False, True], kind="stable").iloc[0]
    how = (f"{far['ratio']:.2f} times as high" if far["ratio"] >= 1
           else f"{far['ratio']:.2f} times as much (lower)")
    return (f"Majority people-of-colour areas are worse off on {int(worse.sum())} of the "
            f"{len(shown)} indicators drawn; the largest gap is in {_in_sentence(far['label'])}, "
            f"{how}.")


def race_gap_bars(frame: pd.DataFrame, measure: str, money: bool) -> go.Figure:
    """Black and White householders side by side for each geography (Okabe-Ito orange and
    blue, named in the chart's legend)."""
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
    fig = layout(fig, max(280, 48 * len(frame) + 130), f"{measure} by race of householder")
    fig.update_layout(showlegend=True)
    return fig


def race_gap_summary(frame: pd.DataFrame, measure: str, money: bool) -> str:
    """What :func:`race_gap_bars` shows, in one sentence: where White householders are ahead
    and the widest gap.

    >>> gaps = pd.DataFrame({"name": ["Westside", "Eastside"], "white": [0.7, 0.6],
    ...                      "black": [0.4, 0.55]})
    >>> print(race_gap_summary(gaps, "Homeownership rate", money=False))
    ... # doctest: +NORMALIZE_WHITESPACE
    White householders' homeownership rate is higher than Black householders' in 2 of the 2
    places shown; the widest gap is in Westside (70% against 40%).
    """
    both = frame.dropna(subset=["white", "black"])
    label = _in_sentence(measure)
    if both.empty:
        return f"No place shown has both Black and White householders' {label}."

    def shown(v: float) -> str:
        return f"${round(v, -2):,.0f}" if money else f"{v * 100:.0f}%"

    gap = (both["white"] - both["black"]).astype(float)
    widest = both.assign(gap=gap.abs()).sort_values(["gap", "name"], ascending=[False, True],
                                                    kind="stable").iloc[0]
    return (f"White householders' {label} is higher than Black householders' in "
            f"{int((gap > 0).sum())} of the {len(both)} places shown; the widest gap is in "
            f"{widest['name']} ({shown(widest['white'])} against {shown(widest['black'])}).")


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
        colour = REGION if is_region else LINE_COLOURS[n % len(LINE_COLOURS)]
        fig.add_trace(go.Scatter(
            x=list(periods), y=part["value"] * k, mode="lines+markers", name=chart_text(name),
            line={"color": colour, "dash": "dash" if is_region else "solid", "width": 2.5},
            marker={"size": 9, "color": colour,
                    "symbol": "circle-open" if is_region else LINE_SYMBOLS[n % len(LINE_SYMBOLS)]},
            error_y={"type": "data", "array": (part["moe"].fillna(0) * k).to_numpy(),
                     "visible": bool(part["moe"].notna().any()), "color": colour, "thickness": 1.2},
            text=[format_value(indicator, v) for v in part["value"]],
            hovertemplate="%{fullData.name}, %{x}: %{text}<extra></extra>",
        ))
    fig.update_xaxes(title_text="ACS period", type="category", zeroline=False)
    fig.update_yaxes(title_text=_axis_title(indicator), gridcolor="#e5e5e5")
    fig = layout(fig, 400, f"{indicator.label} over time")
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.25})
    return fig


def trend_summary(frame: pd.DataFrame, indicator: Indicator, periods: tuple[str, ...],
                  region_name: str) -> str:
    """What :func:`trend_chart` shows, in one sentence: the region from the first period to
    the last, and the districts whose estimate moved most and least.

    >>> from indicators.metrics.registry import get
    >>> trend = pd.DataFrame({"name": ["West", "West", "East", "East", "City", "City"],
    ...                       "period": ["2014-2018", "2019-2023"] * 3,
    ...                       "value": [0.41, 0.51, 0.30, 0.29, 0.33, 0.35]})
    >>> print(trend_summary(trend, get("rent_burden"), ("2014-2018", "2019-2023"), "City"))
    ... # doctest: +NORMALIZE_WHITESPACE
    From 2014-2018 to 2019-2023, rent burden in City went from 33% to 35%; of the districts
    shown, West moved most (41% to 51%), East least (30% to 29%).
    """
    first, last = periods[0], periods[-1]
    wide = frame.pivot_table(index="name", columns="period", values="value", aggfunc="first")
    if first not in wide or last not in wide or len(periods) < 2:
        return f"{indicator.label} in {last} only: no earlier period to compare."
    both = wide[[first, last]].dropna()

    def went(name: str) -> str:
        return (f"{format_value(indicator, both.loc[name, first])} to "
                f"{format_value(indicator, both.loc[name, last])}")

    opening = f"From {first} to {last}, {_in_sentence(indicator.label)}"
    whole = (f" in {region_name} went from {went(region_name)}" if region_name in both.index
             else f" in {region_name} is not in both periods")
    districts = both.drop(index=region_name, errors="ignore")
    if districts.empty:
        return f"{opening}{whole}."
    moved = pd.DataFrame({"place": districts.index.astype(str),
                          "size": (districts[last] - districts[first]).abs().to_numpy()},
                         index=districts.index).sort_values(["size", "place"],
                                                            ascending=[False, True], kind="stable")
    most, least = moved.index[0], moved.index[-1]
    if len(moved) == 1:
        return f"{opening}{whole}; {most} went from {went(most)}."
    return (f"{opening}{whole}; of the districts shown, {most} moved most ({went(most)}), "
            f"{least} least ({went(least)}).")
