#!/usr/bin/env bash
# The complaint list API against a bare Django JSON view on the same gunicorn server, with wrk, on loopback.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/anju_load bench/load/run_wrk.sh
#
# Options (environment): WORKERS (4, as README's production command), CONNECTIONS (4), THREADS (2),
# DURATION (20s per measurement), ROUNDS (2: bare, api, bare, api … alternating so both meet the same load),
# PORT (8601), PERSONA (lead), PASSWORD (the demo password).
# Prints requests/s, latency p50/p99 and answers other than 200 for each, then API ÷ bare (target ≥ 0.5).
set -euo pipefail
source "$(dirname "$0")/common.sh"
WORKERS=${WORKERS:-4} CONNECTIONS=${CONNECTIONS:-4} THREADS=${THREADS:-2} DURATION=${DURATION:-20s}
ROUNDS=${ROUNDS:-2} PORT=${PORT:-8601} PERSONA=${PERSONA:-lead} PASSWORD=${PASSWORD:-Anju@Demo2026}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
trap stop_started EXIT

collect_static
start_gunicorn "$PORT" "$WORKERS"
BASE="http://127.0.0.1:$PORT"
SESSION=$(login "$BASE" "$PERSONA" "$PASSWORD" "$WORK/jar")
declare -A URL=([bare]="$BASE/bench/bare/?n=50" [api]="$BASE/api/v1/complaints/")
for name in bare api; do  # both must answer 200 with JSON for this session, else the figures mean nothing
  code=$(curl -s -o "$WORK/$name.json" -w '%{http_code}' -b "sessionid=$SESSION" "${URL[$name]}")
  [ "$code" = 200 ] || { echo "$name answered $code" >&2; exit 1; }
  "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print(sys.argv[2], len(d['results']), 'rows,',
            len(open(sys.argv[1],'rb').read()), 'bytes', '(count %s)' % d.get('count', '—'))" "$WORK/$name.json" "$name"
done

ms() {  # wrk's latency (e.g. 812.00us, 3.21ms, 1.02s) in milliseconds
  awk -v v="$1" 'BEGIN{ if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0;
                        else if (v ~ /s$/) printf "%.2f", v*1000; else printf "%s", v }'
}

run() {  # run NAME DURATION → one line: name rps p50 p99 not200 socket-errors
  local out="$WORK/wrk-$1-$RANDOM.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -s "$(dirname "$0")/count_status.lua" \
      -H "Cookie: sessionid=$SESSION" "${URL[$1]}" > "$out"
  local rps p50 p99 bad sock
  rps=$(awk '/^Requests\/sec/{print $2}' "$out")
  p50=$(ms "$(awk '$1=="50%"{print $2}' "$out")")
  p99=$(ms "$(awk '$1=="99%"{print $2}' "$out")")
  bad=$(awk '/^not-200:/{print $2}' "$out")
  sock=$(awk '/Socket errors/{gsub(",",""); print $4+$6+$8+$10}' "$out")
  echo "$1 $rps $p50 $p99 $bad ${sock:-0}"
}

echo "warm-up (5 s each) …"
run bare 5s >/dev/null; run api 5s >/dev/null
echo
printf '%-6s %-5s %10s %9s %9s %8s %8s\n' round view "req/s" "p50 ms" "p99 ms" "not 200" "sockerr"
declare -a BARE=() API=()
for r in $(seq 1 "$ROUNDS"); do
  for name in bare api; do
    read -r n rps p50 p99 bad sock < <(run "$name" "$DURATION")
    printf '%-6s %-5s %10s %9s %9s %8s %8s\n' "$r" "$n" "$rps" "$p50" "$p99" "$bad" "$sock"
    if [ "$name" = bare ]; then BARE+=("$rps"); else API+=("$rps"); fi
  done
done
"$PY" - "${BARE[*]}" "${API[*]}" <<'PYEOF'
import sys
bare = [float(x) for x in sys.argv[1].split()]
api = [float(x) for x in sys.argv[2].split()]
b, a = sum(bare) / len(bare), sum(api) / len(api)
print(f"\nmean req/s: bare {b:,.1f}, API {a:,.1f}; API ÷ bare = {a / b:.2f} (target ≥ 0.5: {'met' if a / b >= 0.5 else 'MISSED'})")
PYEOF
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); gunicorn -w $WORKERS (sync);" \
     "wrk -t$THREADS -c$CONNECTIONS -d$DURATION; log and raw wrk output in $WORK"
