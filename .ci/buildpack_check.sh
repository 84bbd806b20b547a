#!/usr/bin/env bash
# The deploy as Heroku's Python buildpack (heroku/heroku-buildpack-python) builds and runs it:
# from the repository as committed, installed exactly from uv.lock, started from the Procfile.
#
# Reproduced, step by step (the buildpack's files):
# - bin/compile, lib/package_manager.sh: the app is built in a folder of its own
#   (/tmp/build_<id>) and uv.lock must be the one package manager file at the top.
# - lib/python_version.sh: .python-version holds N.N or N.N.N (comments and blank lines aside),
#   and names the Python that runs here.
# - lib/uv.sh: `uv sync --locked --no-default-groups --compile-bytecode` from the build folder,
#   UV_PROJECT_ENVIRONMENT naming the Python the app runs on (here a fresh `python3 -m venv`, with
#   no pip or setuptools of its own), UV_NO_MANAGED_PYTHON, UV_PYTHON_DOWNLOADS=never,
#   UV_LINK_MODE=hardlink, UV_CACHE_DIR (the buildpack's is /tmp/uv-cache; here an empty one in
#   this run's work folder, removed with it, as a first build finds it); uv installs the project
#   editable from the build folder. The dev extra must not be installed.
# - bin/compile's .profile.d/python.sh (and vendor/python.gunicorn.sh): the app then runs from
#   another folder (/app on Heroku; here the build folder moved to app/) with the editable
#   install's .pth and finder files rewritten to it at boot, HOME and PYTHONPATH the app folder,
#   PATH starting at the Python's bin, PYTHONUNBUFFERED, LANG, FORWARDED_ALLOW_IPS.
# - The Procfile: its `release:` line runs once, then its `web:` line serves, both with `bash -c`
#   from the app folder, in a clean environment with the config vars of production (PORT, a
#   postgres:// DATABASE_URL as the addon sets it, a 32-hex TWILIO_AUTH_TOKEN, a random
#   SECRET_KEY, PUBLIC_BASE_URL; no IVR_DEV_MODE), and no ../shared folder beside the app.
#   One signed POST /voice must answer the welcome, GET /staff/login 200; the log on failure.
# Not reproduced: the buildpack's own Python build (the machine's python3 of the same minor
# version serves), the slug (compiled, compressed, unpacked on a dyno), the path /app itself and
# the /app/.heroku/python symlink (the Python stays where it was made), the build cache,
# WEB_CONCURRENCY's guess from the dyno's memory, the router in front of the dyno.
#
# Needs python3 (venv), the checkout's .venv with uv (the dev extra: the README's test command)
# and TEST_DATABASE_URL, a PostgreSQL server where a database of its own is made and dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKOUT=$(pwd)
START=$SECONDS
UV="$CHECKOUT/.venv/bin/uv"
: "${TEST_DATABASE_URL:?set TEST_DATABASE_URL to a PostgreSQL server (.ci/run starts one)}"
test -x "$UV" || { echo "no $UV: install the dev extra (the README's test command)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/ivr-buildpack.XXXXXX)
BUILD_DIR="$WORK/build_$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
APP="$WORK/app"
PYTHON_HOME="$WORK/python"
DB_NAME="ivr_buildpack_$(python3 -c 'import secrets; print(secrets.token_hex(4))')"
WEB_PID=""

database() {  # database create|drop: the run's own database on TEST_DATABASE_URL's server
  "$CHECKOUT/.venv/bin/python" - "$1" "$DB_NAME" <<'EOF'
import os, sys
import psycopg
action, name = sys.argv[1:]
statement = {  # drop: whatever is still connected (a web process left behind) is ended first
    "create": f"CREATE DATABASE {name}",
    "drop": f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
}[action]
with psycopg.connect(os.environ["TEST_DATABASE_URL"], autocommit=True) as admin:
    admin.execute(statement)
EOF
}
finish() {
  status=$?
  if [ -n "$WEB_PID" ] && kill -0 "$WEB_PID" 2>/dev/null; then
    kill -TERM -- "-$WEB_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$WEB_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$WEB_PID" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$WORK/web.log" ]; then
    echo "---- the web process's log ($WORK/web.log) ----" >&2
    cat "$WORK/web.log" >&2
  fi
  # A database left behind fails the check: each run would leave one more on the server.
  if ! database drop; then
    echo "buildpack check: could not drop the database $DB_NAME" >&2
    [ "$status" -ne 0 ] || status=1
  fi
  rm -rf "$WORK"
  [ "$status" -eq 0 ] || echo "buildpack check FAILED (exit $status)" >&2
  exit "$status"
}
trap finish EXIT
fail() { echo "buildpack check: $*" >&2; exit 1; }

# bin/compile: the repository as committed, in a build folder of its own.
mkdir "$BUILD_DIR"
git archive HEAD | tar -x -C "$BUILD_DIR"
cd "$BUILD_DIR"
echo "built from $(git -C "$CHECKOUT" rev-parse --short HEAD) in $BUILD_DIR"

# lib/package_manager.sh: exactly one package manager file, uv.lock.
for other in requirements.txt poetry.lock Pipfile Pipfile.lock; do
  [ ! -e "$other" ] || fail "$other beside uv.lock: the buildpack refuses two package managers"
done
[ -f uv.lock ] || fail "no uv.lock at the top of the repository: run 'uv lock' and commit it"

# lib/python_version.sh: the form the buildpack accepts, and the Python here.
wanted=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' .python-version | grep -v '^$' || true)
[[ "$wanted" =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?$ ]] ||
  fail ".python-version must hold one version N.N or N.N.N, not '$wanted'"
have=$(python3 -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
[[ "$have." == "$wanted".* ]] || fail ".python-version asks for $wanted; python3 here is $have"

# lib/uv.sh: the lock must be current (uv sync --locked refuses it too, less plainly), then the
# install exactly from it into a fresh Python.
"$UV" lock --check --quiet ||
  fail "uv.lock does not match pyproject.toml: run '.venv/bin/uv lock' and commit uv.lock"
python3 -m venv --without-pip "$PYTHON_HOME"
export UV_PROJECT_ENVIRONMENT="$PYTHON_HOME" UV_NO_MANAGED_PYTHON=1 UV_PYTHON_DOWNLOADS=never \
  UV_LINK_MODE=hardlink UV_CACHE_DIR="$WORK/uv-cache"
echo "$("$UV" --version): uv sync --locked --no-default-groups --compile-bytecode"
"$UV" sync --locked --no-default-groups --compile-bytecode --no-progress --quiet
unset UV_PROJECT_ENVIRONMENT UV_NO_MANAGED_PYTHON UV_PYTHON_DOWNLOADS UV_LINK_MODE UV_CACHE_DIR
"$PYTHON_HOME/bin/python" - <<'EOF'
import re
import tomllib
from importlib import metadata

project = tomllib.load(open("pyproject.toml", "rb"))["project"]
dev = {re.match(r"[A-Za-z0-9._-]+", spec)[0] for spec in project["optional-dependencies"]["dev"]}
present = sorted(name for name in dev if list(metadata.distributions(name=name)))
if present:
    raise SystemExit(f"buildpack check: the dev extra is installed: {', '.join(present)}")
count = len(list(metadata.distributions()))
print(f"installed {count} distributions from uv.lock, none of the dev extra")
EOF

# .profile.d/python.sh: the app runs from another folder than it was built in.
cd "$WORK"
mv "$BUILD_DIR" "$APP"
find "$PYTHON_HOME"/lib/python*/site-packages/ -type f -and \( -name '*.egg-link' -or \
  -name '*.pth' -or -name '__editable___*_finder.py' \) -exec sed -i -e "s#$BUILD_DIR#$APP#" {} +
cd "$APP"
[ ! -e ../shared ] || fail "$WORK/shared exists: on Heroku there is no ../shared beside the app"

release=$(sed -n 's/^release:[[:space:]]*//p' Procfile)
web=$(sed -n 's/^web:[[:space:]]*//p' Procfile)
[ -n "$release" ] && [ -n "$web" ] || fail "the Procfile needs a release: and a web: line"

database create
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATABASE_URL="postgres://${TEST_DATABASE_URL#*://}"
# The dyno's environment, a clean one: what .profile.d sets, and production's config vars.
DYNO=(
  HOME="$APP" PATH="$PYTHON_HOME/bin:/usr/local/bin:/usr/bin:/bin" LANG=en_US.UTF-8
  PYTHONUNBUFFERED=true PYTHONPATH="$APP" FORWARDED_ALLOW_IPS='*'
  GUNICORN_CMD_ARGS='--access-logfile -' PORT="$PORT" DATABASE_URL="${DATABASE_URL%/*}/$DB_NAME"
  TWILIO_AUTH_TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
  PUBLIC_BASE_URL="http://127.0.0.1:$PORT"
)

echo "release: $release"
env -i "${DYNO[@]}" bash -c "$release" 2>&1 | sed 's/^/  /'
echo "web: $web (port $PORT)"
setsid env -i "${DYNO[@]}" bash -c "$web" >"$WORK/web.log" 2>&1 &
WEB_PID=$!
for waited in $(seq 300); do
  kill -0 "$WEB_PID" 2>/dev/null || fail "the web process ended before it listened on $PORT"
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  [ "$waited" -lt 300 ] || fail "nothing listened on port $PORT within 30 s"
  sleep 0.1
done
echo "listening after about $((waited / 10)).$((waited % 10)) s"
env -i "${DYNO[@]}" "$PYTHON_HOME/bin/python" "$CHECKOUT/.ci/signed_voice.py" --server
# As Heroku stops a dyno: SIGTERM, then SIGKILL after 30 s.
kill -0 "$WEB_PID" 2>/dev/null || fail "the web process ended while answering"
kill -TERM -- "-$WEB_PID"
for waited in $(seq 300); do
  kill -0 "$WEB_PID" 2>/dev/null || break
  [ "$waited" -lt 300 ] || fail "the web process did not stop within 30 s of SIGTERM"
  sleep 0.1
done
wait "$WEB_PID" || true
WEB_PID=""
echo "stopped about $((waited / 10)).$((waited % 10)) s after SIGTERM; its log:"
sed 's/^/  /' "$WORK/web.log"
echo "buildpack-style deploy: ok in $((SECONDS - START)) s"
