#!/usr/bin/env bash
# The wheel as a deployment gets it: built, installed into a fresh virtualenv under /tmp, and
# run from /tmp (far from the checkout): `ivr validate`, then one signed POST /voice that must
# answer TwiML with a <Gather>. Needs python3 (venv, pip) and the checkout's .venv (the README's
# test command makes it; .ci/run runs that first).
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKOUT=$(pwd)

WORK=$(mktemp -d /tmp/ivr-wheel.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# setuptools writes build/ and *.egg-info beside the sources: build from a copy.
mkdir "$WORK/src"
cp -r pyproject.toml README.md ivr tree prompts audio recordings "$WORK/src/"
"$CHECKOUT/.venv/bin/pip" wheel -q --no-deps -w "$WORK/dist" "$WORK/src"
WHEEL=$(ls "$WORK"/dist/mantelzorglijn-*.whl)
echo "built $(basename "$WHEEL")"

python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q "$WHEEL"

cd "$WORK"
unset IVR_TREE IVR_PROMPTS IVR_AUDIO_DIR IVR_SHARED_DIR IVR_INSTANCE_PATH DATABASE_URL
"$WORK/venv/bin/ivr" validate
# As a deploy does it: the release phase upgrades the schema once, then the web process answers.
IVR_SQLITE_PATH="$WORK/ivr.sqlite3" "$WORK/venv/bin/ivr" db upgrade
# Production settings: a token of Twilio's form, a random key, the URL signatures are checked on.
TWILIO_AUTH_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(16))') \
  SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))') \
  PUBLIC_BASE_URL=http://localhost IVR_SQLITE_PATH="$WORK/ivr.sqlite3" \
  "$WORK/venv/bin/python" "$CHECKOUT/.ci/signed_voice.py"
