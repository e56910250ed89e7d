"""`manage.py classify`: complaint texts on stdin, one per line; one JSON object per line on stdout (CONTRACTS.md).

    {"violation_type": CODE, "department": CODE, "confidence": 0..1, "evidence": [strings], "needs_review": bool}

`needs_review`: a person must look before the complaint is routed (intake.classifier.review_decision, the same
decision the import and routing make); `--details` adds why (review_reason) and the secondary matters. A tab in a
line separates a post's title from its body. Output line N answers input line N: a blank line gets
{"violation_type": null, "department": null, "confidence": 0.0, "evidence": [], "needs_review": true}.
Needs no database (no system checks, no queries); lines are classified in
batches and each batch is flushed as it is done.
"""
import json
import sys

from django.core.management.base import BaseCommand, CommandError

BATCH = 1000


class Command(BaseCommand):
    help = "Classify complaint texts read from stdin (one per line); write one JSON object per line."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--model", help="model directory or .joblib file (default: the shipped intake/ml/)")
        parser.add_argument("--batch", type=int, default=BATCH, help=f"lines per batch (default {BATCH})")
        parser.add_argument("--details", action="store_true",
                            help="also print department_confidence and alternatives (not part of the contract)")

    def handle(self, *args, **options):
        from intake.classifier import ComplaintClassifier, get_classifier

        try:
            model = ComplaintClassifier.load(options["model"]) if options.get("model") else get_classifier()
        except FileNotFoundError as exc:
            raise CommandError(f"classifier model not found: {exc.filename}; run train_classifier") from exc
        batch_size = max(1, int(options.get("batch") or BATCH))
        details = bool(options.get("details"))
        stdin = options.get("stdin") or sys.stdin
        batch: list[str] = []
        for line in stdin:
            batch.append(line.rstrip("\r\n"))
            if len(batch) >= batch_size:
                self._emit(model, batch, details)
                batch = []
        if batch:
            self._emit(model, batch, details)

    def _emit(self, model, lines, details):
        out = []
        for prediction in model.predict_many(lines):
            obj = prediction.as_contract()
            if details:
                obj["department_confidence"] = round(prediction.department_confidence, 4)
                obj["alternatives"] = [[code, prob] for code, prob in prediction.alternatives]
                obj["review_reason"] = prediction.review_reason
                obj["secondary"] = list(prediction.secondary)
            out.append(json.dumps(obj, ensure_ascii=False))
        self.stdout.write("\n".join(out))
        self.stdout.flush()
