#!/usr/bin/env bash
# Loads the authenticated identification page and the stylesheet of one
# InfoPatient server with wrk, on loopback, in alternating rounds so that
# whatever else the machine does weighs on both alike. Prints each round's
# rates, the ratio of the medians, and fails when the page serves fewer
# than half the stylesheet's requests per second (the target of
# docs/benchmarks.md).
# Usage: docs/bench/wrk-identification.sh [duration] [connections] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10s}
conns=${2:-32}
rounds=${3:-3}
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
curl -fs -o /dev/null -b "infopatient_session=$session" "http://$addr/identification" || { echo "identification page refused the session" >&2; exit 1; }

# rate runs wrk once and prints its requests per second; wrk's own report
# (latency, errors) goes to standard error.
rate() {
  local out
  out=$(wrk -t2 -c"$conns" -d"$duration" "$@")
  echo "$out" >&2
  if grep -q 'Non-2xx' <<<"$out"; then echo "non-2xx answers" >&2; exit 1; fi
  awk '/^Requests\/sec:/{print $2}' <<<"$out"
}

page_rates=() css_rates=()
for r in $(seq "$rounds"); do
  echo "== round $r: authenticated identification page" >&2
  page_rates+=("$(rate -H "Cookie: infopatient_session=$session" "http://$addr/identification")")
  echo "== round $r: stylesheet" >&2
  css_rates+=("$(rate "http://$addr$css")")
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
p=$(median "${page_rates[@]}")
c=$(median "${css_rates[@]}")
echo
echo "identification page, req/s per round: ${page_rates[*]}"
echo "stylesheet,          req/s per round: ${css_rates[*]}"
awk -v p="$p" -v c="$c" 'BEGIN{r=p/c; printf "median: page %.0f req/s, stylesheet %.0f req/s, ratio %.2f (target >= 0.50)\n", p, c, r; exit (r < 0.5)}'
