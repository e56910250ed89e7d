"""Accuracy, needs-review coverage and precision, the coverage/precision curve over confidence thresholds and a
reliability table, per held-out set (issue 14).

    .venv/bin/python bench/bench_classifier_review.py [--model DIR] [--errors] SET.csv [SET.csv …]

Needs no database. "right" = type and department both right (what routing needs). --errors adds the wrong
texts grouped by kind (expected → predicted), split by whether they would have gone to a person.
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


def label(vtype, dept):
    return vtype if vtype != "NON_ENFORCEMENT" else f"NON_ENFORCEMENT/{dept}"


def errors(preds, rows):
    """Wrong texts by kind: expected → predicted, counted among those kept (no review) and those reviewed."""
    kinds = {}
    for p, (_, v, d) in zip(preds, rows, strict=True):
        if p.violation_type == v and p.department == d:
            continue
        key = (label(v, d), label(p.violation_type, p.department))
        kept, reviewed = kinds.get(key, (0, 0))
        kinds[key] = (kept, reviewed + 1) if p.needs_review else (kept + 1, reviewed)
    out = ["", "| expected | predicted | no review | review |", "| --- | --- | --- | --- |"]
    for (exp, got), (kept, reviewed) in sorted(kinds.items(), key=lambda kv: (-sum(kv[1]), kv[0])):
        out.append(f"| {exp} | {got} | {kept} | {reviewed} |")
    return out


def report(model, rows, name, show_errors=False):
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
    if show_errors:
        out += errors(preds, rows)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("sets", nargs="+")
    a = ap.parse_args()
    model = ComplaintClassifier.load(a.model)
    for path in a.sets:
        print(report(model, read(path), Path(path).name, a.errors))


if __name__ == "__main__":
    main()
