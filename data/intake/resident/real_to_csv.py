"""real_paraphrased_posts.txt (TYPE|DEPARTMENT|title|body|source_url a line) → real_paraphrased_heldout.csv.

Columns as resident_heldout.csv plus source_url; text = title + newline + body. Evaluation only (SOURCES.md).
"""
import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    rows = []
    for line in (HERE / "real_paraphrased_posts.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        vtype, dept, title, body, url = line.split("|")
        rows.append((f"{title}\n{body}", vtype, dept, url))
    with open(HERE / "real_paraphrased_heldout.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "violation_type", "department", "source_url"])
        writer.writerows(rows)
    print(len(rows))


if __name__ == "__main__":
    main()
