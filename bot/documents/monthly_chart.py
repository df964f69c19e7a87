"""The monthly summary's chart as a PNG: three panels people read without opening a file.

1. faults reported per day, stacked by level; 2. tickets unresolved at the month's end by
blocking reason; 3. deadline compliance per clock (met, missed, still running).

Labels arrive already in the reader's language. matplotlib is imported inside the function
(the Agg canvas: no display), so the bot starts without it and only this document pays
for it. Noto Sans CJK (fonts-noto-cjk) draws the Chinese; a missing font falls back to
matplotlib's own, which shows boxes for Chinese but never fails.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"]
LEVEL_COLOURS = {"A": "#c62828", "B": "#ef6c00", "C": "#1565c0"}
MET, MISSED, RUNNING = "#2e7d32", "#c62828", "#9e9e9e"


@dataclass(frozen=True)
class ChartData:
    """Everything drawn, in the reader's words."""

    title: str
    days: list[str]  # the x labels: day of the month
    per_level: dict[str, list[int]]  # level → count per day (same length as days)
    level_names: dict[str, str]
    reasons: list[tuple[str, int]]  # (reason's name, unresolved count)
    clocks: list[tuple[str, int, int, int]]  # (clock's name, met, missed, running)
    panel_titles: tuple[str, str, str]
    legend: tuple[str, str, str]  # met, missed, running
    nothing: str  # shown in an empty panel


def chart_png(data: ChartData) -> bytes:
    """The three panels as one PNG (1320×1080 pixels)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # A Figure of its own on the Agg canvas, not pyplot's global figures: nothing is kept
    # between charts, and a chart may be drawn in a worker thread (the service does).
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": FONTS,
                                "axes.unicode_minus": False}):
        # 1320×1080: Telegram shows photos at most 1280 pixels wide, more is only cost.
        fig = Figure(figsize=(11, 9), dpi=120, layout="constrained")
        FigureCanvasAgg(fig)
        grid = fig.add_gridspec(2, 2, height_ratios=(1, 1))
        _per_day(fig.add_subplot(grid[0, :]), data)
        _reasons(fig.add_subplot(grid[1, 0]), data)
        _clocks(fig.add_subplot(grid[1, 1]), data)
        fig.suptitle(data.title, fontsize=14, fontweight="bold")
        out = io.BytesIO()
        fig.savefig(out, format="png")
    return out.getvalue()


def _per_day(ax: Axes, data: ChartData) -> None:
    x = list(range(len(data.days)))
    bottom = [0] * len(x)
    for level, counts in data.per_level.items():
        ax.bar(x, counts, bottom=bottom, color=LEVEL_COLOURS.get(level, "#777"),
               label=data.level_names.get(level, level), width=0.8)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks(x, data.days, fontsize=8)
    ax.set_title(data.panel_titles[0], loc="left")
    ax.legend(loc="upper left", fontsize=9, ncols=len(data.per_level), frameon=False)
    ax.margins(y=0.18)
    ax.grid(axis="y", alpha=0.3)
    if not any(bottom):
        ax.text(0.5, 0.5, data.nothing, transform=ax.transAxes, ha="center", color="#777")


def _reasons(ax: Axes, data: ChartData) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.set_title(data.panel_titles[1], loc="left")
    if not data.reasons:
        ax.text(0.5, 0.5, data.nothing, transform=ax.transAxes, ha="center", color="#777")
        ax.set_axis_off()
        return
    names = [name for name, _ in data.reasons][::-1]
    counts = [n for _, n in data.reasons][::-1]
    bars = ax.barh(names, counts, color="#6a1b9a")
    ax.bar_label(bars, padding=3, fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlim(0, max(counts) * 1.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _clocks(ax: Axes, data: ChartData) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.set_title(data.panel_titles[2], loc="left")
    if not data.clocks:
        ax.text(0.5, 0.5, data.nothing, transform=ax.transAxes, ha="center", color="#777")
        ax.set_axis_off()
        return
    names = [c[0] for c in data.clocks]
    met = [c[1] for c in data.clocks]
    missed = [c[2] for c in data.clocks]
    running = [c[3] for c in data.clocks]
    left = [0] * len(names)
    for values, colour, label in ((met, MET, data.legend[0]), (missed, MISSED, data.legend[1]),
                                  (running, RUNNING, data.legend[2])):
        ax.barh(names, values, left=left, color=colour, label=label)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, (m, k) in enumerate(zip(met, missed, strict=True)):
        if m + k:
            ax.text(left[y], y, f" {m / (m + k) * 100:.0f}%", va="center", fontsize=9)
    ax.set_xlim(0, max(max(left), 1) * 1.12)  # room for the percentages
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncols=3, fontsize=9,
              frameon=False)
    ax.grid(axis="x", alpha=0.3)
