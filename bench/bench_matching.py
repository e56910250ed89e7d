"""Benchmark: address matching (intake.matching.CommunityIndex) on the demo district.

    .venv/bin/python bench/bench_matching.py [--addresses 20000] [--repeat 3] [--database sqlite:///…]

1. A fresh SQLite database (/tmp/anju_bench_matching.sqlite3 unless --database names another): migrate, then the
   registry part of seed_demo (streets, 331 communities, their addresses and aliases). Not timed.
2. Index build: CommunityIndex.build() (database reads included), best and median of 5.
3. Quality on data/intake/address_cases.csv: accuracy (returned community == expected, None when none is
   expected), false-match rate (a community returned where another or none was expected), street accuracy
   where a street is given.
4. Throughput: CommunityIndex.match over ADDRESSES texts, in one process pinned to one core: the case file,
   then deterministic variants built from the registered doors and names (prefixes, rooms, full-width and
   Chinese numerals, hotline sentences, numbers on no door, unknown roads), about a third without a match.
   Best and median of REPEAT runs.
"""
import argparse
import csv
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "sqlite:////tmp/anju_bench_matching.sqlite3"
CASES = ROOT / "data" / "intake" / "address_cases.csv"


def setup(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    if database.startswith("sqlite:///"):
        path = Path(database.removeprefix("sqlite:///"))
        if database == DEFAULT_DB:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    from demo import district as demo_data
    from registry.models import Community

    call_command("migrate", verbosity=0)
    if not Community.objects.exists():
        demo_data.load_registry(tally=demo_data.Tally())


def texts(count: int, cases: list[dict]) -> list[str]:
    from registry.models import Community, CommunityAddress, CommunityAlias

    rng = random.Random(20260214)
    doors = list(CommunityAddress.objects.values_list("road", "unit", "number_from", "number_to"))
    names = list(Community.objects.values_list("name", flat=True)) + list(
        CommunityAlias.objects.values_list("name", flat=True))
    roads = sorted({d[0] for d in doors})
    numerals = "〇一二三四五六七八九"
    out = [c["text"] for c in cases]
    while len(out) < count:
        road, unit, low, high = rng.choice(doors)
        number = rng.randint(low, high or low)
        mark = "弄" if unit == "LANE" else "号"
        kind = rng.random()
        if kind < 0.25:
            text = f"{road}{number}{mark}{rng.randint(1, 30)}号{rng.randint(1, 18)}0{rng.randint(1, 4)}室"
        elif kind < 0.35:
            text = f"上海市普陀区{road}{''.join(numerals[int(c)] for c in str(number))}{mark}"
        elif kind < 0.45:
            text = f"{road}{str(number).translate({ord(c): ord(c) + 0xFEE0 for c in '0123456789'})}{mark}"
        elif kind < 0.60:
            text = f"市民反映：普陀区{road}{number}{mark}门口有人乱扔垃圾，物业不管，要求处理。"
        elif kind < 0.72:
            text = f"反映{rng.choice(names)}{rng.randint(1, 30)}号楼楼道里有人飞线充电"
        elif kind < 0.86:
            text = f"{rng.choice(roads)}{rng.randint(1, 3000)}{rng.choice('弄号')}"  # mostly on no door
        else:
            text = f"{rng.choice(['幸福', '人民', '建设', '和平', '南京西', '曹安'])}路{rng.randint(1, 999)}号"
        out.append(text)
    return out[:count]


def score_file(index, path: Path) -> dict:
    """Right, wrong community (another community than expected, or one where none was expected) and none (no
    community where one was expected) on one case file."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        cases = list(csv.DictReader(f))
    tally = {"right": 0, "wrong": 0, "none": 0}
    for case in cases:
        got = index.match(case["text"]).community
        expected = case["expected_community"] or None
        tally["right" if got == expected else "wrong" if got is not None else "none"] += 1
    print(f"{path.name}: {len(cases)} cases; right {tally['right']} ({tally['right'] / len(cases):.1%}), "
          f"wrong community {tally['wrong']}, none where one was expected {tally['none']}")
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", default=DEFAULT_DB)
    parser.add_argument("--cases", action="append", default=[], metavar="CSV",
                        help="also score this case file (text, expected_community, expected_street): right, wrong "
                             "community, none where one was expected; repeatable")
    parser.add_argument("--quality-only", action="store_true", help="skip the throughput runs")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    setup(args.database)
    from intake.matching import CommunityIndex

    builds = []
    for _ in range(5):
        started = time.perf_counter()
        index = CommunityIndex.build()
        builds.append(time.perf_counter() - started)
    print(f"index: {len(index.communities)} communities, {sum(map(len, index.doors.values()))} doors, "
          f"{len(index.names)} names and aliases; build {min(builds) * 1000:.1f} ms best, "
          f"{statistics.median(builds) * 1000:.1f} ms median of 5")

    with CASES.open(encoding="utf-8-sig", newline="") as f:
        cases = list(csv.DictReader(f))
    right = false = streets_checked = streets_right = 0
    for case in cases:
        got = index.match(case["text"])
        expected = case["expected_community"] or None
        right += got.community == expected
        false += got.community is not None and got.community != expected
        if case["expected_street"]:
            streets_checked += 1
            streets_right += got.street == case["expected_street"]
    negatives = sum(1 for c in cases if not c["expected_community"])
    print(f"cases: {len(cases)} ({negatives} expect no community); accuracy {right / len(cases):.2%}, "
          f"false matches {false / len(cases):.2%} ({false}), street right {streets_right}/{streets_checked}")

    for path in args.cases:
        score_file(index, Path(path))
    if args.quality_only:
        return
    batch = texts(args.addresses, cases)
    rates, matched = [], 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        results = [index.match(text) for text in batch]
        rates.append(len(batch) / (time.perf_counter() - started))
        matched = sum(1 for r in results if r.community_id is not None)
    print(f"throughput: {len(batch):,} addresses on one core, {matched / len(batch):.0%} matched; "
          f"{max(rates):,.0f} addresses/s best, {statistics.median(rates):,.0f} median of {args.repeat}")


if __name__ == "__main__":
    main()
