"""heldout_posts.txt / train_posts.txt (TYPE|DEPARTMENT|title|body a line) → CSV with text = title + newline + body."""
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def convert(name: str):
    rows = []
    for line in (HERE / f"{name}_posts.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        vtype, dept, title, body = line.split("|", 3)
        rows.append((f"{title}\n{body}", vtype, dept))
    with open(HERE / f"resident_{name}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "violation_type", "department"])
        writer.writerows(rows)
    print(name, len(rows))


if __name__ == "__main__":
    for name in sys.argv[1:] or ["heldout", "train"]:
        convert(name)
