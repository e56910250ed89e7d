# Shared by bench/load/*.sh (sourced): start gunicorn for the load settings, sign in with curl, stop what we started.
# Needs DATABASE_URL (a database holding the demo district: migrate + seed_demo) and is run from anywhere.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="$ROOT/.venv/bin/python"
export DJANGO_SETTINGS_MODULE=bench.load.settings
export DEBUG=0
export BENCH_STATIC_ROOT="${BENCH_STATIC_ROOT:-/tmp/anju_load_static}"
# Every process of a run shares one key (sessions signed on one instance are read on another).
export SECRET_KEY="${SECRET_KEY:-bench-load-secret-key-0123456789-abcdefghijklmnop}"
: "${DATABASE_URL:?set DATABASE_URL to a database holding the demo district}"
export DATABASE_URL
WORK="${WORK:-$(mktemp -d /tmp/anju_load.XXXXXX)}"
STARTED_PIDS=()

collect_static() {
  if [ ! -f "$BENCH_STATIC_ROOT/staticfiles.json" ]; then
    (cd "$ROOT" && "$PY" manage.py collectstatic --noinput -v 0)
  fi
}

# start_gunicorn PORT WORKERS [extra env assignments…]: in the background; waits for /healthz.
start_gunicorn() {
  local port=$1 workers=$2; shift 2
  (cd "$ROOT" && exec env "$@" "$ROOT/.venv/bin/gunicorn" anju.wsgi:application -w "$workers" \
     -b "127.0.0.1:$port" --timeout 60 --log-level warning --error-logfile "$WORK/gunicorn-$port.log") &
  STARTED_PIDS+=($!)
  for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "gunicorn on $port did not answer /healthz (see $WORK/gunicorn-$port.log)" >&2
  return 1
}

# login BASE USER PASSWORD JAR: Django's login form with its CSRF token; prints the session id.
login() {
  local base=$1 user=$2 password=$3 jar=$4 csrf code
  curl -s -c "$jar" -b "$jar" "$base/accounts/login/" -o /dev/null
  csrf=$(awk '$6=="csrftoken"{print $7}' "$jar")
  code=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' -H "Referer: $base/accounts/login/" \
    --data-urlencode "username=$user" --data-urlencode "password=$password" \
    --data-urlencode "csrfmiddlewaretoken=$csrf" "$base/accounts/login/")
  if [ "$code" != 302 ]; then echo "login of $user at $base answered $code, not 302" >&2; return 1; fi
  awk '$6=="sessionid"{print $7}' "$jar"
}

stop_started() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  STARTED_PIDS=()
}
