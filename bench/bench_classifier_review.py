"""Accuracy, needs-review coverage and precision, the coverage/precision curve over confidence thresholds and a
reliability table, per held-out set (issue 14).

    .venv/bin/python bench/bench_classifier_review.py [--model DIR] SET.csv [SET.csv …]

Needs no database. "right" = type and department both right (what routing needs).
"""
import argparse
import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake.classifier import ComplaintClassifier  # noqa: E402

THRESHOLDS = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999]
BINS = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001]


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [(r["text"], r["violation_type"], r["department"]) for r in csv.DictReader(fh)]


def report(model, rows, name):
    preds = model.predict_many([t for t, _, _ in rows], evidence=False)
    t_ok = np.array([p.violation_type == v for p, (_, v, _) in zip(preds, rows, strict=True)])
    d_ok = np.array([p.department == d for p, (_, _, d) in zip(preds, rows, strict=True)])
    ok = t_ok & d_ok
    conf = np.array([p.confidence for p in preds])
    review = np.array([p.needs_review for p in preds])
    kept = ~review
    out = [f"#### {name} ({len(rows)} texts)", "",
           f"type {t_ok.mean():.1%}, department {d_ok.mean():.1%}, both {ok.mean():.1%}; "
           f"needs no review {kept.mean():.1%} of texts, of those right (type and department) "
           f"{ok[kept].mean() if kept.any() else float('nan'):.1%} (type {t_ok[kept].mean() if kept.any() else 0:.1%})",
           ""]
    reasons = {}
    for p in preds:
        if p.needs_review:
            reasons[p.review_reason] = reasons.get(p.review_reason, 0) + 1
    out.append("review reasons: " + (", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) or "none"))
    out += ["", "| confidence ≥ | coverage | right among covered |", "| --- | --- | --- |"]
    for t in THRESHOLDS:
        m = conf >= t
        out.append(f"| {t} | {m.mean():.1%} | {ok[m].mean() if m.any() else float('nan'):.1%} |")
    out += ["", "| confidence bin | texts | mean confidence | right (type) |", "| --- | --- | --- | --- |"]
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        m = (conf >= lo) & (conf < hi)
        if m.any():
            out.append(f"| [{lo}, {min(hi, 1.0)}) | {m.sum()} | {conf[m].mean():.3f} | {t_ok[m].mean():.1%} |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("sets", nargs="+")
    a = ap.parse_args()
    model = ComplaintClassifier.load(a.model)
    for path in a.sets:
        print(report(model, read(path), Path(path).name))


if __name__ == "__main__":
    main()
