#!/usr/bin/env bash
# Loads the authenticated identification page and the stylesheet of one
# InfoPatient server with wrk, on loopback, and prints both rates.
# Usage: docs/bench/wrk-identification.sh [duration] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-20s}
conns=${2:-32}
addr=127.0.0.1:18090
data=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT

go build -o "$data/infopatient" ./cmd/infopatient
INFOPATIENT_ADDR=$addr INFOPATIENT_DATA_DIR=$data INFOPATIENT_LOG_LEVEL=error "$data/infopatient" >/dev/null &
pid=$!
for _ in $(seq 50); do curl -fs "http://$addr/healthz" >/dev/null && break; sleep 0.2; done

# Sign in as the demo professional: scrape the CSRF token, post the form,
# keep the session cookie.
jar=$data/cookies
page=$(curl -fs -c "$jar" "http://$addr/")
csrf=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' <<<"$page" | head -1)
curl -fs -b "$jar" -c "$jar" -o /dev/null -d "_csrf=$csrf&login=751234567&password=infopatient" "http://$addr/login"
session=$(awk '$6=="infopatient_session"{print $7}' "$jar")
[ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
css=$(sed -n 's/.*<link rel="stylesheet" href="\([^"]*\)".*/\1/p' <<<"$page" | head -1)

echo "== authenticated identification page"
wrk -t2 -c"$conns" -d"$duration" -H "Cookie: infopatient_session=$session" "http://$addr/identification"
echo "== stylesheet"
wrk -t2 -c"$conns" -d"$duration" "http://$addr$css"
