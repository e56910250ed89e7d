"""The bulletin's charts as PNG images (matplotlib, no display), with Chinese text in a CJK font.

The font: Noto Sans CJK (Debian's fonts-noto-cjk, which `make venv` and `make chromium` install when they can),
else any installed font that covers Chinese. With none, `cjk_font()` is None and the bulletin says the charts
could not be drawn instead of printing empty boxes for the characters."""
import functools
from io import BytesIO
from pathlib import Path

CANDIDATE_FILES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]
CANDIDATE_NAMES = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                   "SimHei", "Microsoft YaHei", "PingFang SC", "AR PL UMing CN"]
BLUE, ORANGE, GREY = "#1f5fa8", "#d9822b", "#9aa5b1"


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


@functools.cache
def cjk_font() -> str | None:
    """The family name of a font with Chinese glyphs, registered with matplotlib; None when there is none."""
    try:
        from matplotlib import font_manager
    except ImportError:
        return None
    for path in CANDIDATE_FILES:
        if Path(path).exists():
            try:
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError, ValueError):
                continue
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CANDIDATE_NAMES:
        if name in installed:
            return name
    return None


def available() -> bool:
    return cjk_font() is not None


def _figure(width_cm: float = 16, height_cm: float = 7.5):
    plt = _pyplot()
    plt.rcParams["font.family"] = [cjk_font(), "DejaVu Sans"]
    plt.rcParams["font.size"] = 9
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=200)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return plt, fig, ax


def _png(plt, fig) -> bytes:
    buffer = BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _month_label(code: str, first: bool = False) -> str:
    year, month = code.split("-")
    return f"{year}年\n{int(month)}月" if first or month == "01" else f"{int(month)}月"


def trend_png(trend: list[dict]) -> bytes:
    """Bars: residents' complaints per month; line (right axis): complaints per 10,000 residents."""
    plt, fig, ax = _figure()
    labels = [_month_label(row["month"], i == 0) for i, row in enumerate(trend)]
    counts = [row.get("complaints") or 0 for row in trend]
    bars = ax.bar(range(len(trend)), counts, color=BLUE, width=0.6, label="居民投诉量（件）")
    ax.bar_label(bars, labels=[f"{c:,}" for c in counts], fontsize=7, padding=2)
    ax.set_xticks(range(len(trend)), labels)
    ax.set_ylabel("居民投诉量（件）")
    ax.set_ylim(0, max(counts + [1]) * 1.18)
    per = [row.get("per_10k") for row in trend]
    handles = [bars]
    if any(v is not None for v in per):
        right = ax.twinx()
        right.spines["top"].set_visible(False)
        points = [(i, v) for i, v in enumerate(per) if v is not None]
        (line,) = right.plot([i for i, _ in points], [v for _, v in points], color=ORANGE, marker="o",
                             linewidth=1.8, markersize=3.5, label="投诉万人比")
        right.set_ylabel("投诉万人比")
        right.set_ylim(0, max(v for _, v in points) * 1.3 or 1)
        handles.append(line)
    ax.legend(handles=handles, loc="upper left", frameon=False, ncol=2, fontsize=8)
    return _png(plt, fig)


def types_png(types: list[dict], label: str) -> bytes:
    """Horizontal bars: complaints per violation type, this period against the one before."""
    rows = list(reversed(types))
    plt, fig, ax = _figure(16, max(5.0, 1.0 + 0.75 * len(rows)))
    names = [_short(row["name"]) for row in rows]
    y = range(len(rows))
    now = [row.get("count") or 0 for row in rows]
    before = [row.get("previous") or 0 for row in rows]
    ax.barh([i + 0.2 for i in y], now, height=0.4, color=BLUE, label=label)
    ax.barh([i - 0.2 for i in y], before, height=0.4, color=GREY, label="上期")
    for i, value in enumerate(now):
        ax.text(value, i + 0.2, f" {value:,}", va="center", fontsize=7)
    ax.set_yticks(list(y), names)
    ax.set_xlabel("诉件数（件）")
    ax.set_xlim(0, max(now + before + [1]) * 1.15)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    return _png(plt, fig)


def _short(name: str) -> str:
    """A type's name without its bracketed examples, for an axis label."""
    for mark in ("（", "("):
        name = name.split(mark)[0]
    return name.strip()


def render(chart) -> bytes:
    if chart.key == "trend":
        return trend_png(chart.data["trend"])
    return types_png(chart.data["types"], chart.data["label"])
