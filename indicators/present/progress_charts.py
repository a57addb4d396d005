"""Plotly figures of certification progress (no Streamlit): the portfolio's stage funnel, a
target's observations against its path, and a project's timeline. Colours are the Okabe-Ito
colour-blind-safe set (the timeline's kinds of event also differ by marker shape). Names, notes
and units from the records are shown through :func:`~indicators.present.charts.chart_text`.
Each figure has a title, and a ``*_summary`` says in one sentence what it shows.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.present.charts import HIGHLIGHT, OKABE_ITO, chart_labels, chart_text, layout

STATUS_COLOURS = {"on track": OKABE_ITO[2], "achieved": OKABE_ITO[0],
                  "needs attention": OKABE_ITO[5], "no data yet": "#999999"}


def stage_funnel(stages: list[str], reached: list[int], colours: list[str]) -> go.Figure:
    """How many projects have reached each stage (a funnel narrowing towards Performance).

    Parameters
    ----------
    stages : list of str
        Stage titles, in order.
    reached : list of int
        Projects that have reached each stage (or gone beyond it).
    colours : list of str
        Each stage's colour.
    """
    fig = go.Figure(go.Funnel(
        y=chart_labels(stages), x=reached, textinfo="value", marker={"color": colours},
        connector={"line": {"color": "#cccccc"}},
        hovertemplate="%{y}: %{x} projects have reached it<extra></extra>",
    ))
    return layout(fig, 340, "Projects that have reached each stage")


def funnel_summary(stages: list[str], reached: list[int]) -> str:
    """What :func:`stage_funnel` shows, in one sentence.

    >>> funnel_summary(["Formation", "Roadmap", "Performance"], [5, 2, 0])
    'Of the projects, 5 have reached Formation, 2 Roadmap and 0 Performance.'
    >>> funnel_summary([], [])
    'No stage to show.'
    """
    if not stages:
        return "No stage to show."
    parts = [f"{n} {'has' if n == 1 else 'have'} reached {s}" if i == 0 else f"{n} {s}"
             for i, (s, n) in enumerate(zip(stages, reached, strict=True))]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Of the projects, {listed}."


def target_tracker(target: pd.Series, observations: pd.DataFrame) -> go.Figure:
    """One target: its observations against the straight line from baseline to target.

    Parameters
    ----------
    target : pandas.Series
        A row of the target tracker (baseline, baseline_year, target, target_year, unit,
        indicator, status).
    observations : pandas.DataFrame
        ``observed_on`` and ``value`` of this target.
    """
    start, end = f"{int(target['baseline_year'])}-01-01", f"{int(target['target_year'])}-01-01"
    colour = STATUS_COLOURS.get(str(target["status"]), HIGHLIGHT)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[start, end], y=[target["baseline"], target["target"]],
                             mode="lines+markers", line={"dash": "dash", "color": "#777"},
                             name="path to the target", hovertemplate="%{x|%Y}: %{y}<extra>plan</extra>"))
    if len(observations):
        obs = observations.sort_values("observed_on")
        fig.add_trace(go.Scatter(x=obs["observed_on"].astype(str), y=obs["value"],
                                 mode="lines+markers", line={"color": colour, "width": 3},
                                 marker={"size": 9}, name="observed",
                                 hovertemplate="%{x|%Y-%m-%d}: %{y}<extra>observed</extra>"))
    fig.update_layout(title={"text": chart_text(f"{target['indicator']}: {target['status']}"),
                             "font": {"size": 15}}, showlegend=False)
    fig.update_yaxes(title_text=chart_text(target["unit"]), gridcolor="#e5e5e5")
    fig = layout(fig, 260)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def project_timeline(timeline: pd.DataFrame, today: str) -> go.Figure:
    """Dated events of a project (submissions, reviews, stages reached, deadlines) on one axis."""
    kinds = {"registered": ("Registered", OKABE_ITO[7], "circle"),
             "submitted": ("Submitted", OKABE_ITO[0], "square"),
             "review": ("Reviewed", OKABE_ITO[1], "diamond"),
             "reached": ("Stage reached", OKABE_ITO[2], "star"),
             "deadline": ("Deadline", OKABE_ITO[5], "x")}
    fig = go.Figure()
    for kind, (label, colour, symbol) in kinds.items():
        part = timeline[timeline["kind"] == kind]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["on"].astype(str),
            y=chart_labels(part["stage"].map(lambda s: s.replace("_", " ").title())),
            mode="markers", name=label, text=chart_labels(part["what"]),
            marker={"color": colour, "size": 13, "symbol": symbol, "line": {"width": 1, "color": "white"}},
            hovertemplate="%{x|%d %b %Y}: %{text}<extra></extra>"))
    fig.add_vline(x=today, line_dash="dot", line_color="#555")
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.25})
    fig = layout(fig, 340, "The project's dated events (dotted line: today)")
    fig.update_layout(showlegend=True)
    return fig


#: A timeline's kinds of event, as a sentence counts them (singular, plural).
EVENT_WORDS = {"registered": ("registration", "registrations"),
               "submitted": ("submission", "submissions"), "review": ("review", "reviews"),
               "reached": ("stage reached", "stages reached"), "deadline": ("deadline", "deadlines")}


def timeline_summary(timeline: pd.DataFrame, today: str) -> str:
    """What :func:`project_timeline` shows, in one sentence: how many events of each kind,
    from when to when, and the next deadline after ``today`` (ISO date).

    >>> events = pd.DataFrame({"on": ["2023-03-01", "2023-09-10", "2024-01-05", "2026-12-01"],
    ...                        "kind": ["registered", "submitted", "reached", "deadline"],
    ...                        "stage": ["formation", "formation", "formation", "roadmap"]})
    >>> print(timeline_summary(events, "2026-06-01"))  # doctest: +NORMALIZE_WHITESPACE
    4 dated events from 1 March 2023 to 1 December 2026: 1 registration, 1 submission, 1 stage
    reached and 1 deadline; the next deadline is 1 December 2026 (Roadmap).
    """
    if timeline.empty:
        return "No dated events yet."
    on = pd.to_datetime(timeline["on"].astype(str))
    counts = timeline["kind"].value_counts()
    parts = [f"{counts[k]} {words[0] if counts[k] == 1 else words[1]}"
             for k, words in EVENT_WORDS.items() if k in counts]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

    def day(d: pd.Timestamp) -> str:
        return f"{d.day} {d:%B %Y}"

    ahead = timeline[(timeline["kind"] == "deadline") & (on >= pd.Timestamp(today))]
    after = on[ahead.index]
    nxt = ("" if ahead.empty else
           f"; the next deadline is {day(after.min())} "
           f"({str(ahead.loc[after.idxmin(), 'stage']).replace('_', ' ').title()})")
    events = "dated event" if len(timeline) == 1 else "dated events"
    return f"{len(timeline)} {events} from {day(on.min())} to {day(on.max())}: {listed}{nxt}."
