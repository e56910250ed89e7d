"""`manage.py train_classifier`: retrain the complaint classifier from the labelled corpus plus the staff
corrections stored in the database, print held-out accuracy and per-class F1, and save the model to intake/ml/.

Steps: (1) a grouped hold-out (15 % of the near-duplicate groups, so variants of one description never sit on both
sides) is split off, a model trained on the rest and scored on it; (2) the grouped 5-fold cross-validation that
calibrates the confidence runs on everything; (3) the final model is trained on all rows and saved.
"""
import csv
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEFAULT_CORPORA = ["data/intake/corpus.csv", "data/intake/corpus_extra.csv",
                   "data/intake/resident/resident_train.csv", "data/intake/resident/resident_generated.csv"]
# Out-of-style text (not the corpus's house style): its out-of-fold scores calibrate the confidence and choose the
# review threshold (bench/README.md, "Classifier"). Staff corrections count as such too: they are real traffic.
OUT_OF_STYLE = ("data/intake/resident/resident_train.csv",)  # hand-written; the generated posts are too regular
HELDOUT_SHARE = 0.15
# Staff corrections together weigh this share of the corpus (each at least 1, at most CORRECTION_MAX_WEIGHT), so a
# few hundred of the bureau's own decisions move a model trained on thousands of written texts.
CORRECTION_SHARE = 0.5
CORRECTION_MAX_WEIGHT = 25.0


def correction_weight(n_corpus: int, n_corrections: int) -> float:
    if not n_corrections:
        return 1.0
    return max(1.0, min(CORRECTION_MAX_WEIGHT, CORRECTION_SHARE * n_corpus / n_corrections))


def read_rows(path: Path) -> list[tuple[str, str, str]]:
    """(text, violation_type, department) rows of a CSV with that header (a BOM allowed)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"text", "violation_type"} - set(reader.fieldnames or [])
        if missing:
            raise CommandError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        return [(r.get("text") or "", r.get("violation_type") or "", r.get("department") or "") for r in reader]


class Command(BaseCommand):
    help = "Retrain the complaint classifier (corpus + staff corrections); print held-out accuracy and F1."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", action="append",
                            help="training CSV (text,violation_type,department); repeatable. Default: "
                                 + " and ".join(DEFAULT_CORPORA) + " (the second when present)")
        parser.add_argument("--output", help="directory to save the model in (default intake/ml/)")
        parser.add_argument("--heldout", help="an external labelled CSV to evaluate on as well")
        parser.add_argument("--evaluate-only", action="store_true",
                            help="score the current model (or --output's) on --heldout, or run the hold-out "
                                 "split, and save nothing")
        parser.add_argument("--no-corrections", action="store_true", help="leave out the staff corrections")
        parser.add_argument("--folds", type=int, default=5, help="grouped cross-validation folds (default 5)")
        parser.add_argument("--seed", type=int, default=0)

    # -- helpers ------------------------------------------------------------------------------------------------
    def _progress(self):
        try:
            from tqdm import tqdm
        except ImportError:  # pragma: no cover
            return None
        quiet = self.verbosity < 1

        def wrap(iterable, desc="cross-validation"):
            return tqdm(iterable, desc=desc, file=sys.stderr, disable=quiet, leave=False)

        return wrap

    def _say(self, text=""):
        if self.verbosity >= 1:
            self.stdout.write(text)

    def _print_evaluation(self, title, result):
        self._say(f"\n== {title}: {result['n']} texts ==")
        self._say(f"type accuracy        {result['type_accuracy']:.4f}")
        self._say(f"department accuracy  {result['department_accuracy']:.4f}")
        self._say(f"type macro F1        {result['type_macro_f1']:.4f}")
        self._say("\nper-class F1 (violation type):")
        self._say(result["report"])
        self._say("per-class F1 (department):")
        self._say(result["department_report"])
        if result["confusions"]:
            self._say("most frequent confusions (true -> predicted):")
            for true, pred, count in result["confusions"]:
                self._say(f"  {count:4d}  {true} -> {pred}")

    def _corrections(self):
        try:
            from intake.corrections import training_rows
        except ImportError as exc:
            self._say(f"staff corrections: not available ({exc}); training on the corpus only")
            return []
        try:
            rows = [tuple(r) for r in training_rows()]
        except Exception as exc:  # no database, no table yet …
            self._say(f"staff corrections: could not be read ({exc.__class__.__name__}: {exc}); "
                      "training on the corpus only")
            return []
        self._say(f"staff corrections: {len(rows)} rows from the database")
        return rows

    # -- main ---------------------------------------------------------------------------------------------------
    def handle(self, *args, **options):
        from intake import classifier as clf

        self.verbosity = int(options.get("verbosity", 1))
        base = Path(settings.BASE_DIR)
        progress = self._progress()
        output = Path(options["output"]) if options.get("output") else clf.ML_DIR
        heldout_rows = None
        if options.get("heldout"):
            heldout_rows, problems = clf.clean_rows(read_rows(Path(options["heldout"])))
            if problems:
                self._say(f"held-out file: {len(problems)} row(s) ignored, e.g. {problems[0]}")

        if options["evaluate_only"] and heldout_rows is not None:
            model_path = output if options.get("output") else None
            model = clf.ComplaintClassifier.load(model_path)
            self._print_evaluation(f"external held-out set {options['heldout']}",
                                   clf.evaluate(model, heldout_rows))
            return

        # Training data
        paths = [Path(p) for p in options["corpus"]] if options.get("corpus") else None
        if paths is None:
            paths = [base / p for p in DEFAULT_CORPORA if (base / p).exists()]
            if not paths:
                raise CommandError(f"no corpus found at {base / DEFAULT_CORPORA[0]}")
        sources, rows, flags = {}, [], []  # flags: (weight, out of style) per row
        for path in paths:
            if not path.exists():
                raise CommandError(f"corpus not found: {path}")
            part = read_rows(path)
            name = str(path.relative_to(base) if path.is_relative_to(base) else path)
            sources[name] = len(part)
            rows.extend(part)
            flags += [(1.0, name.startswith(OUT_OF_STYLE))] * len(part)
            self._say(f"corpus {path}: {len(part)} rows")
        if not options["no_corrections"]:
            corrections = self._corrections()
            if corrections:
                weight = correction_weight(len(rows), len(corrections))
                sources["staff corrections"] = len(corrections)
                sources["staff correction weight"] = round(weight, 2)
                self._say(f"staff corrections weigh {weight:.1f} each")
                rows.extend(corrections)
                flags += [(weight, True)] * len(corrections)
        kept = []
        problems = []
        for row, flag in zip(rows, flags, strict=True):
            good, bad = clf.clean_rows([row])
            if good:
                kept.append((good[0], flag))
            else:
                problems += bad
        if problems:
            self._say(f"{len(problems)} row(s) ignored, e.g. {problems[0]}")
        if len(kept) < 20:
            raise CommandError(f"only {len(kept)} usable rows; need at least 20")
        # A text labelled twice keeps its last label (a staff correction comes after the corpus).
        dedup = {}
        for (text, vtype, dept), flag in kept:
            dedup[text.strip()] = ((text, vtype, dept), flag)
        rows = [r for r, _ in dedup.values()]
        weights = [f[0] for _, f in dedup.values()]
        out_of_style = [f[1] for _, f in dedup.values()]
        self._say(f"training rows: {len(rows)} ({sum(out_of_style)} out of the house style)")

        # (1) grouped hold-out
        started = time.time()
        groups = clf.near_duplicate_groups(rows)
        labels = [clf.joint_label(v, d) for _, v, d in rows]
        n_splits = max(2, round(1 / HELDOUT_SHARE))
        train_idx, test_idx = clf.grouped_folds(groups, labels, n_splits, seed=options["seed"])[0]
        self._say(f"grouped hold-out: {len(test_idx)} of {len(rows)} rows "
                  f"({len(set(groups.tolist()))} near-duplicate groups) held out")
        model = clf.fit([rows[i] for i in train_idx], weights=[weights[i] for i in train_idx])
        holdout = clf.evaluate(model, [rows[i] for i in test_idx])
        self._print_evaluation("grouped hold-out (part of the training data never seen by this model)", holdout)
        if heldout_rows is not None:
            self._print_evaluation(f"external held-out set {options['heldout']} (model without the hold-out)",
                                   clf.evaluate(model, heldout_rows))
        if options["evaluate_only"]:
            return

        # (2) cross-validation + calibration, (3) the final model on everything
        self._say(f"\ntraining on all {len(rows)} rows with grouped {options['folds']}-fold calibration …")
        model = clf.train(rows, n_splits=options["folds"], groups=groups, sources=sources, progress=progress,
                          weights=weights, calibrate_on=out_of_style if any(out_of_style) else None)
        model.metadata["holdout"] = {k: holdout[k] for k in ("n", "type_accuracy", "department_accuracy",
                                                              "type_macro_f1", "per_type_f1")}
        cv = model.metadata.get("cross_validation") or {}
        self._say(f"cross-validation ({cv.get('folds')} grouped folds): type accuracy {cv.get('type_accuracy')}, "
                  f"department accuracy {cv.get('department_accuracy')}; softmax temperature "
                  f"{model.metadata['temperature']}")
        review = model.metadata.get("review") or {}
        chosen = review.get("chosen_on") or {}
        self._say(f"review threshold: confidence >= {review.get('confidence')} needs no person "
                  f"(out-of-fold on {chosen.get('rows')} rows: {chosen.get('coverage')} covered, "
                  f"{chosen.get('precision')} right)")
        path = model.save(output)
        clf.reset_cache()
        self._say(f"saved {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.time() - started:.0f} s")
