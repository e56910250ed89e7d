#!/usr/bin/env bash
# The web tier holds no state: two gunicorn instances (A, B), two Celery workers, one PostgreSQL, one Redis, all
# on loopback. Signs in on A and uses the same session cookie on B; asks for two bulletins on A (Celery, through
# Redis) and follows their progress on B; downloads each Word file from both; then stops everything it started.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/anju_load bench/load/multiprocess.sh
#
# Environment: REDIS (redis://127.0.0.1:6379), BROKER_DB (12), CACHE_DB (13), PORT_A (8611), PORT_B (8612),
# PERIODS ("2026-11 2026-10"), MEDIA_ROOT (a temporary folder: the one disk standing for object storage here —
# on several machines it is S3/MinIO through FILE_STORAGE, see docs/scaling.md).
set -euo pipefail
source "$(dirname "$0")/common.sh"
REDIS=${REDIS:-redis://127.0.0.1:6379} BROKER_DB=${BROKER_DB:-12} CACHE_DB=${CACHE_DB:-13}
PORT_A=${PORT_A:-8611} PORT_B=${PORT_B:-8612} PERIODS=${PERIODS:-"2026-11 2026-10"}
PASSWORD=${PASSWORD:-Anju@Demo2026}
export CELERY_BROKER_URL="$REDIS/$BROKER_DB" CACHE_URL="$REDIS/$CACHE_DB"
export MEDIA_ROOT="${MEDIA_ROOT:-$WORK/media}"
mkdir -p "$MEDIA_ROOT"
trap stop_started EXIT
A="http://127.0.0.1:$PORT_A" B="http://127.0.0.1:$PORT_B"
say() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*"; }

collect_static
say "start: gunicorn A on $PORT_A and B on $PORT_B (2 workers each), Celery workers w1 and w2 (broker $CELERY_BROKER_URL," \
    "cache $CACHE_URL, sessions in PostgreSQL, files in $MEDIA_ROOT)"
start_gunicorn "$PORT_A" 2
start_gunicorn "$PORT_B" 2
for w in w1 w2; do
  (cd "$ROOT" && exec "$ROOT/.venv/bin/celery" -A anju worker -n "$w@%h" -c 1 -O fair -l info \
     >"$WORK/celery-$w.log" 2>&1) &
  STARTED_PIDS+=($!)
done
ready=0
for _ in $(seq 1 300); do
  ready=$( (grep -l "ready\." "$WORK"/celery-w1.log "$WORK"/celery-w2.log 2>/dev/null || true) | wc -l)
  [ "$ready" = 2 ] && break
  sleep 0.2
done
[ "$ready" = 2 ] || { echo "Celery workers not ready (see $WORK/celery-*.log)" >&2; exit 1; }
say "processes: $(for p in "${STARTED_PIDS[@]}"; do printf '%s ' "$p"; done)(gunicorn A, gunicorn B, celery w1, celery w2)"

# 1. one session, two instances
SESSION=$(login "$A" lead "$PASSWORD" "$WORK/jar")
CSRF=$(awk '$6=="csrftoken"{print $7}' "$WORK/jar")
for side in A B; do
  base=${!side}
  code=$(curl -s -o "$WORK/home-$side.html" -w '%{http_code}' -b "sessionid=$SESSION" "$base/")
  who=$(grep -o '周立群[^<]*' "$WORK/home-$side.html" | head -1 || true)
  api=$(curl -s -b "sessionid=$SESSION" "$base/api/v1/complaints/?page_size=1" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["count"])')
  say "session from A on $side: home $code, signed in as ${who:-?}; API complaints count $api"
done
anon=$(curl -s -o /dev/null -w '%{http_code}' "$B/")
say "B without the cookie: $anon (to the login page)"

# 2. bulletins asked for on A, followed on B
IDS=()
for period in $PERIODS; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "sessionid=$SESSION; csrftoken=$CSRF" -H "X-CSRFToken: $CSRF" \
    -H "Referer: $A/bulletins/" --data-urlencode "period=$period" --data-urlencode "street=" \
    --data-urlencode "csrfmiddlewaretoken=$CSRF" "$A/bulletins/make/")
  id=$(curl -s -b "sessionid=$SESSION" "$B/bulletins/?period=$period" | grep -o 'id="bulletin-[0-9]*"' | head -1 | grep -o '[0-9]*')
  say "A: POST /bulletins/make/ period=$period (district) → $code; B lists it as bulletin $id"
  IDS+=("$id")
done
declare -A LAST=()
for _ in $(seq 1 300); do
  pending=0
  for id in "${IDS[@]}"; do
    row=$(curl -s -b "sessionid=$SESSION" "$B/bulletins/$id/row/")
    status=$(grep -o 'data-status="[a-z_A-Z]*"' <<<"$row" | head -1 | cut -d'"' -f2)
    progress=$(grep -o 'aria-valuenow="[0-9]*"' <<<"$row" | head -1 | grep -o '[0-9]*' || true)
    now="$status ${progress:-}"
    if [ "${LAST[$id]:-}" != "$now" ]; then say "B: bulletin $id $now"; LAST[$id]=$now; fi
    case $status in DONE|done|FAILED|failed) ;; *) pending=1 ;; esac
  done
  [ $pending = 0 ] && break
  sleep 0.5
done
for w in w1 w2; do
  say "celery $w: $(grep -c 'bulletins.generate.*succeeded' "$WORK/celery-$w.log" || true) bulletin task(s) run:" \
      "$(grep -o 'Task bulletins.generate\[[^]]*\] succeeded in [0-9.]*s' "$WORK/celery-$w.log" | sed 's/Task //' | tr '\n' ' ')"
done

# 3. the Word file from both instances
for id in "${IDS[@]}"; do
  for side in A B; do
    base=${!side}
    code=$(curl -s -o "$WORK/bulletin-$id-$side.docx" -w '%{http_code} %{content_type} %{size_download}' \
      -b "sessionid=$SESSION" "$base/bulletins/$id/docx/")
    say "$side: GET /bulletins/$id/docx/ → $code bytes; $(file -b "$WORK/bulletin-$id-$side.docx" | cut -c1-40);" \
        "sha1 $(sha1sum "$WORK/bulletin-$id-$side.docx" | cut -c1-12)"
  done
done

# 4. the cache is shared too: the wall's payload is cached per user for 50 s; B answers with the one A stored
gen() { curl -s -b "sessionid=$SESSION" "$1/analytics/wall/data/" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["generated_at"])'; }
(redis-cli -n "$CACHE_DB" --scan --pattern '*analytics:wall*' || true) | xargs -r redis-cli -n "$CACHE_DB" del >/dev/null
made_on_a=$(gen "$A"); sleep 1.5; read_on_b=$(gen "$B")
keys=$( (redis-cli -n "$CACHE_DB" --scan --pattern '*analytics:wall*' || true) | wc -l)
say "wall data: generated_at on A $made_on_a, on B 1.5 s later $read_on_b" \
    "($([ "$made_on_a" = "$read_on_b" ] && echo "the same payload, from Redis" || echo "NOT shared")); $keys wall key(s) in Redis db $CACHE_DB"
say "stopping everything started here"
