"""Benchmark of the complaint classifier (issue 3): load time, throughput on one core, latency, and accuracy on
the independent held-out set.

    .venv/bin/python bench/bench_classifier.py [--texts 21000] [--heldout data/intake/heldout.csv]

Needs no database. Pins itself to one CPU and one BLAS/OpenMP thread before numpy is imported.
"""
import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOAD_PROBE = """
import time
t0 = time.perf_counter()
from intake.classifier import ComplaintClassifier
t1 = time.perf_counter()
model = ComplaintClassifier.load()
t2 = time.perf_counter()
model.predict("楼道里有人飞线充电")
t3 = time.perf_counter()
print(f"{t1 - t0:.4f} {t2 - t1:.4f} {t3 - t2:.4f}")
"""


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [(r["text"], r["violation_type"], r.get("department") or "") for r in csv.DictReader(fh)]


def distinct_texts(n, corpus_path):
    """n different complaint texts: the corpus, then more rows from its generator run with other seeds (so no
    text repeats and the segmenter's cache only helps where real streams repeat too: the shared framing)."""
    import importlib.util

    seen = dict.fromkeys(t for t, _, _ in read_csv(corpus_path))
    generator = Path(corpus_path).with_name("build_corpus.py")
    if len(seen) < n and generator.exists():
        spec = importlib.util.spec_from_file_location("build_corpus", generator)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        seed = 1
        while len(seen) < n and seed < 100:
            module.SEED = seed
            seen.update(dict.fromkeys(text for text, _, _ in module.build()))
            seed += 1
    texts = list(seen)
    return (texts * (n // len(texts) + 1))[:n]


def pin_one_core():
    if hasattr(os, "sched_setaffinity"):
        cpu = sorted(os.sched_getaffinity(0))[0]
        os.sched_setaffinity(0, {cpu})
        return cpu
    return None


def cold_load(runs=5):
    """Fresh interpreters: import of intake.classifier, model load, first prediction (seconds)."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", LOAD_PROBE], cwd=ROOT, capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        total = time.perf_counter() - started
        imp, load, first = (float(x) for x in out.stdout.split())
        samples.append((imp, load, first, total))
    return [statistics.median(col) for col in zip(*samples, strict=True)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=21000, help="texts for the throughput run (>= 20,000)")
    parser.add_argument("--heldout", default=str(ROOT / "data/intake/heldout.csv"))
    parser.add_argument("--corpus", default=str(ROOT / "data/intake/corpus.csv"),
                        help="texts for the throughput run (repeated to --texts)")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args()

    cpu = pin_one_core()
    from intake import classifier as clf

    figures = {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(),
               "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, pinned to CPU {cpu}"}
    meta = json.loads((clf.ML_DIR / clf.META_FILE).read_text(encoding="utf-8"))
    print(f"model: {clf.ML_DIR / clf.MODEL_FILE} ({meta.get('model_bytes', 0) / 1e6:.1f} MB), trained "
          f"{meta.get('trained_at')} on {meta.get('training_rows')} rows; sklearn {meta.get('sklearn_version')}")
    cv = meta.get("cross_validation") or {}
    if cv:
        print(f"grouped {cv.get('folds')}-fold CV on the training data: type {cv.get('type_accuracy')}, "
              f"department {cv.get('department_accuracy')}")

    imp, load, first, total = cold_load()
    figures.update(cold_import_s=imp, cold_load_s=load, cold_first_prediction_s=first, cold_process_s=total)
    print(f"\nload (fresh interpreter, median of 5): import {imp:.3f} s + load {load:.3f} s = "
          f"{imp + load:.3f} s; first prediction {first * 1000:.1f} ms; whole process incl. interpreter "
          f"{total:.3f} s")
    started = time.perf_counter()
    model = clf.ComplaintClassifier.load()
    figures["warm_load_s"] = time.perf_counter() - started
    print(f"load (modules already imported): {figures['warm_load_s']:.3f} s")

    base = [t for t, _, _ in read_csv(args.corpus)]
    texts = distinct_texts(args.texts, args.corpus)
    figures["throughput_distinct_texts"] = len(set(texts))
    runs = (("with evidence", True, True), ("type only", False, True),
            ("with evidence, segment cache off", True, False))
    for label, evidence, cache in runs:
        model = clf.ComplaintClassifier.load()  # fresh segmenter cache
        if not cache:
            model.segmenter.CACHE_SIZE = 0
        cpu_started, started = time.process_time(), time.perf_counter()
        preds = model.predict_many(texts, evidence=evidence)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        assert len(preds) == len(texts)
        key = "texts_per_second" + ("" if evidence else "_no_evidence") + ("" if cache else "_no_cache")
        figures[key] = len(texts) / elapsed
        figures[key + "_cpu"] = len(texts) / cpu
        print(f"throughput, one core, {len(texts)} texts, {len(set(texts))} distinct ({label}): "
              f"{len(texts) / elapsed:,.0f} texts/s wall clock, {len(texts) / cpu:,.0f} texts per CPU second")

    lat = []
    for text in base[:1000]:
        started = time.perf_counter()
        model.predict(text)
        lat.append(time.perf_counter() - started)
    lat.sort()
    figures["latency_median_ms"] = statistics.median(lat) * 1000
    figures["latency_p95_ms"] = lat[int(len(lat) * 0.95)] * 1000
    print(f"single-text latency: median {figures['latency_median_ms']:.2f} ms, "
          f"p95 {figures['latency_p95_ms']:.2f} ms")

    heldout = Path(args.heldout)
    if heldout.exists():
        rows, problems = clf.clean_rows(read_csv(heldout))
        result = clf.evaluate(model, rows)
        figures.update({k: result[k] for k in ("n", "type_accuracy", "department_accuracy", "type_macro_f1",
                                               "department_macro_f1", "per_type_f1", "confusions",
                                               "department_confusions", "confident_share",
                                               "confident_type_accuracy", "unsure_type_accuracy",
                                               "mean_confidence")})
        print(f"\nheld-out set {heldout} ({result['n']} texts, {len(problems)} ignored):")
        print(f"  type accuracy        {result['type_accuracy']:.4f}   (target >= 0.92)")
        print(f"  department accuracy  {result['department_accuracy']:.4f}   (target >= 0.95)")
        print(f"  type macro F1        {result['type_macro_f1']:.4f}")
        print(f"  department macro F1  {result['department_macro_f1']:.4f}")
        print(f"  confidence >= 0.5 (routed without a person): {result['confident_share']:.1%} of texts, type "
              f"accuracy {result['confident_type_accuracy']:.4f}; below 0.5: accuracy "
              f"{result['unsure_type_accuracy']:.4f}; mean confidence {result['mean_confidence']:.3f}")
        print("\nper-class F1 (violation type):")
        print(result["report"])
        print("per-class F1 (department):")
        print(result["department_report"])
        print("most frequent confusions, type (true -> predicted):")
        for true, pred, count in result["confusions"]:
            print(f"  {count:3d}  {true} -> {pred}")
        print("most frequent confusions, department (true -> predicted):")
        for true, pred, count in result["department_confusions"]:
            print(f"  {count:3d}  {true} -> {pred}")
    else:
        print(f"\n(no held-out set at {heldout}; accuracy not measured)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
