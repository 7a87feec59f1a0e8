#!/usr/bin/env bash
# Issue 17's comparison, reproduced against the portal's own static file:
# the identification page of a professional signed in with Pro Santé
# Connect (the sandbox's simulator, in a process of its own; the portal not
# in demo mode) against the content-hashed stylesheet of the same server,
# wrk 2 threads 64 connections on loopback, in alternating rounds. Reports
# each round's req/s, p99 and the server's CPU time per request, the
# medians, and the server's peak resident memory (VmHWM). It fails below
# the targets of docs/benchmarks.md: the stylesheet's CPU per request at
# least TARGET_RATIO (default 0.37, see there why) of the page's, and peak
# RSS at most TARGET_RSS_MB (default 28). The binary is built as the
# Dockerfile builds it (CGO_ENABLED=0 -trimpath -ldflags="-s -w"), for
# the database it runs on (-tags no_postgres, or no_sqlite with
# DATABASE_URL).
#
# Usage: docs/bench/wrk-signed-in.sh [duration] [rounds]
#   DATABASE_URL=postgres://…  run on PostgreSQL (default: a SQLite file)
#   BIN=path                   a binary already built (default: build this tree)
#   TAGS=tags                  build tags (default: no_postgres on SQLite, no_sqlite on PostgreSQL; TAGS= for both)
#   RESIDENT_PAGES=1           also print, after start-up and after the run, which pages of the executable
#                              are resident, by section and package (docs/bench/resident-pages.py; root;
#                              with BIN, TWIN names the same tree built without -s -w)
#   PPROF=1                    also take an 8 s CPU profile (PPROF_OUT, default cpu.pprof) and a heap profile in round 1
#   APACHE=1                   also run issue 17's yardstick side by side (docs/bench/mod-auth-openidc.bash:
#                              Debian's apache2 and libapache2-mod-auth-openidc, root), a third target in each
#                              round; then the page must also serve 3x Apache's req/s
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10s}
rounds=${2:-3}
conns=64
target_ratio=${TARGET_RATIO:-0.37}
target_rss=${TARGET_RSS_MB:-28}
addr=127.0.0.1:18091
pprof_addr=127.0.0.1:18092
data=$(mktemp -d)
pid=
sbpid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$data"' EXIT

bin=${BIN:-}
if [ -z "$bin" ]; then
  bin=$data/infopatient
  # As the Dockerfile builds it: static (without cgo, no libc mapped
  # in), without symbol table nor DWARF, and for the one database it runs
  # on (TAGS, as the Dockerfile's; TAGS= builds with both).
  tags=${TAGS-$([ -n "${DATABASE_URL:-}" ] && echo no_sqlite || echo no_postgres)}
  CGO_ENABLED=0 go build -tags "$tags" -trimpath -ldflags="-s -w" -o "$bin" ./cmd/infopatient
  if [ -n "${RESIDENT_PAGES:-}" ]; then
    TWIN=$data/twin
    CGO_ENABLED=0 go build -tags "$tags" -trimpath -o "$TWIN" ./cmd/infopatient
  fi
fi
resident_pages() {
  [ -n "${RESIDENT_PAGES:-}" ] || return 0
  echo "== resident pages of the executable, $1" >&2
  python3 docs/bench/resident-pages.py "$pid" "$TWIN" >&2
}
# Not demo mode, as issue 17 measured: Pro Santé Connect is the sandbox's
# simulator in a process of its own, the account is created and linked
# with the CLI.
sandbox_addr=127.0.0.1:18093
env=("INFOPATIENT_ADDR=$addr" "INFOPATIENT_DATA_DIR=$data" INFOPATIENT_LOG_LEVEL=warn
  "INFOPATIENT_TOKEN_KEY=$(head -c32 /dev/urandom | base64 | tr -d '\n')")
# pprof only when asked: as deployed, without it, the heap is not sampled.
if [ -n "${PPROF:-}" ]; then
  env+=("INFOPATIENT_PPROF_ADDR=$pprof_addr")
fi
if [ -n "${DATABASE_URL:-}" ]; then
  env+=("INFOPATIENT_DATABASE_URL=$DATABASE_URL")
fi
# start_simulator NAME ADDR PORTAL runs the sandbox on ADDR for the
# relying party at PORTAL, its files under $data/NAME; once it has said
# its Pro Santé Connect issuer, sets sim_pid and sim_issuer.
start_simulator() {
  env INFOPATIENT_DATA_DIR="$data/$1" "$bin" sandbox -addr "$2" -portal "$3" >"$data/$1.log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 100); do grep -q INFOPATIENT_PSC_ISSUER "$data/$1.log" 2>/dev/null && break; sleep 0.2; done
  sim_issuer=$(sed -n 's/.*INFOPATIENT_PSC_ISSUER=\([^ ]*\).*/\1/p' "$data/$1.log")
  [ -n "$sim_issuer" ] || { echo "the simulator $1 did not start" >&2; cat "$data/$1.log" >&2; exit 1; }
}
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; [ -n "$sbpid" ] && kill $sbpid 2>/dev/null; stop_apache; rm -rf "$data"' EXIT
stop_apache() { :; }
start_simulator sandbox $sandbox_addr "http://$addr"
sbpid=$sim_pid issuer=$sim_issuer
env+=("INFOPATIENT_PSC_ISSUER=$issuer" INFOPATIENT_PSC_CLIENT_ID=infopatient-demo INFOPATIENT_PSC_CLIENT_SECRET=infopatient-demo-psc-secret)
env "${env[@]}" "$bin" migrate >/dev/null
echo 'bench-password-1' | env "${env[@]}" "$bin" account create -login 751234567 -given Virginie -family Medecin \
  -profession Médecin -rpps 99700218896 >/dev/null
env "${env[@]}" "$bin" account link 751234567 psc 899700218896 >/dev/null
env "${env[@]}" "$bin" serve >"$data/out.log" 2>&1 &
pid=$!
for _ in $(seq 150); do curl -fs "http://$addr/healthz" >/dev/null && break; sleep 0.2; done
resident_pages "after start-up"

# psc_sign_in JAR URL signs in with Pro Santé Connect from URL, which
# redirects to the simulator's card page (VIRGINIE MEDECIN, code 1234),
# whose answer goes to the callback; the cookies end in JAR.
psc_sign_in() {
  local jar=$1 card pending callback
  card=$(curl -fs -b "$jar" -c "$jar" -o /dev/null -w '%{redirect_url}' "$2")
  pending=$(curl -fs -b "$jar" -c "$jar" "$card" | sed -n 's/.*name="pending" value="\([^"]*\)".*/\1/p' | head -1)
  callback=$(curl -fs -b "$jar" -c "$jar" -o /dev/null -w '%{redirect_url}' \
    --data-urlencode "pending=$pending" -d professional=899700218896 -d code=1234 -d action=sign-in "$card")
  curl -fs -b "$jar" -c "$jar" -o /dev/null "$callback"
}
jar=$data/cookies
page=$(curl -fs -c "$jar" "http://$addr/")
psc_sign_in "$jar" "http://$addr/auth/psc/login"
session=$(awk '$6=="infopatient_session"{print $7}' "$jar")
[ -n "$session" ] || { echo "sign-in failed" >&2; cat "$data/out.log" >&2; exit 1; }
curl -fs -b "infopatient_session=$session" "http://$addr/identification" | grep -q 'VIRGINIE' ||
  { echo "the identification page refused the session" >&2; exit 1; }
css=$(sed -n 's/.*<link rel="stylesheet" href="\([^"]*\)".*/\1/p' <<<"$page" | head -1)

# The yardstick, when asked: Apache and mod_auth_openidc signed in through
# a simulator of their own (the simulator's client names one redirect URI).
if [ -n "${APACHE:-}" ]; then
  . docs/bench/mod-auth-openidc.bash
  apache_dir=$data/apache apache_port=18094
  chmod 711 "$data" # Apache's children (www-data) pass through to its page
  start_simulator sandbox-apache 127.0.0.1:18095 "http://127.0.0.1:$apache_port"
  apache_sbpid=$sim_pid
  stop_apache() { apache_stop "$apache_dir"; kill "$apache_sbpid" 2>/dev/null; }
  apache_start "$apache_dir" $apache_port "$sim_issuer"
  psc_sign_in "$data/apache-cookies" "http://127.0.0.1:$apache_port/"
  apache_session=$(awk '$6=="mod_auth_openidc_session"{print $7}' "$data/apache-cookies")
  curl -fs -b "mod_auth_openidc_session=$apache_session" "http://127.0.0.1:$apache_port/" | grep -q 'Identification du patient' ||
    { echo "Apache refused its session" >&2; cat "$apache_dir/error.log" >&2; exit 1; }
fi

# cpu prints the server's CPU time so far (user + system), in clock ticks.
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
tick=$(getconf CLK_TCK)

# run runs wrk once and prints "req/s p99_ms cpu_us_per_request"; wrk's
# own report goes to standard error. The CPU time the server spent per
# request is the figure the other work on a shared machine disturbs least.
run() {
  local out before after
  before=$(cpu)
  out=$(wrk -t2 -c$conns -d"$duration" --latency "$@")
  after=$(cpu)
  echo "$out" >&2
  # Apache closes some keep-alive connections as its children come and go
  # (wrk's read errors; wrk reconnects): allowed to the yardstick alone.
  if grep -q 'Non-2xx\|Socket errors: connect [1-9]\|write [1-9]\|timeout [1-9]' <<<"$out" ||
    { [ -z "${closes_allowed:-}" ] && grep -q 'Socket errors' <<<"$out"; }; then
    echo "errors or non-2xx answers" >&2
    exit 1
  fi
  awk -v ticks=$((after - before)) -v tick="$tick" '/^Requests\/sec:/{r=$2} / requests in /{n=$1}
    $1=="99%"{v=$2; if (v ~ /us$/) p=v/1000; else if (v ~ /ms$/) p=v+0; else p=v*1000}
    END{printf "%s %.2f %.0f\n", r, p, ticks / tick * 1e6 / n}' <<<"$out"
}

page_rates=() page_p99=() page_cpu=() css_rates=() css_p99=() css_cpu=() apache_rates=() apache_p99=()
for r in $(seq "$rounds"); do
  echo "== round $r: identification page, signed in with Pro Santé Connect" >&2
  if [ "$r" = 1 ] && [ -n "${PPROF:-}" ]; then
    curl -fs -o "${PPROF_OUT:-cpu.pprof}" "http://$pprof_addr/debug/pprof/profile?seconds=8" &
    prof=$!
  fi
  read -r rate p99 us < <(run -H "Cookie: infopatient_session=$session" "http://$addr/identification")
  page_rates+=("$rate"); page_p99+=("$p99"); page_cpu+=("$us")
  [ -n "${prof:-}" ] && { wait "$prof"; prof=; curl -fs -o "${PPROF_OUT:-cpu.pprof}.heap" "http://$pprof_addr/debug/pprof/heap"; }
  echo "== round $r: stylesheet" >&2
  read -r rate p99 us < <(run "http://$addr$css")
  css_rates+=("$rate"); css_p99+=("$p99"); css_cpu+=("$us")
  if [ -n "${APACHE:-}" ]; then
    echo "== round $r: Apache and mod_auth_openidc, signed in with Pro Santé Connect" >&2
    while sleep 0.25; do apache_memory "$apache_dir"; done >>"$data/apache-memory" &
    sampler=$!
    read -r rate p99 _ < <(closes_allowed=1 run -H "Cookie: mod_auth_openidc_session=$apache_session" "http://127.0.0.1:$apache_port/")
    kill $sampler
    apache_rates+=("$rate"); apache_p99+=("$p99")
  fi
done
resident_pages "after the run"
rss=$(awk '/^VmHWM:/{printf "%.1f", $2/1024}' "/proc/$pid/status")
# What the resident memory is made of now: the heap, stacks and runtime
# (anonymous) and the pages of the executable the code touched (file).
split=$(awk '/^Rss(Anon|File):/{printf "%s %.1f MB  ", $1, $2/1024}' "/proc/$pid/status")

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo
echo "database: ${DATABASE_URL:+PostgreSQL}${DATABASE_URL:-SQLite}" | sed 's/postgres:.*//'
echo "resident memory after the run: $split"

echo "identification page, req/s per round: ${page_rates[*]}   p99 ms: ${page_p99[*]}   CPU µs/request: ${page_cpu[*]}"
echo "stylesheet,          req/s per round: ${css_rates[*]}   p99 ms: ${css_p99[*]}   CPU µs/request: ${css_cpu[*]}"
apache=0 apache_latency=0
if [ -n "${APACHE:-}" ]; then
  apache=$(median "${apache_rates[@]}") apache_latency=$(median "${apache_p99[@]}")
  read -r procs arss apss < <(sort -k2 -g "$data/apache-memory" | tail -1)
  echo "Apache,              req/s per round: ${apache_rates[*]}   p99 ms: ${apache_p99[*]}"
  echo "Apache at its largest under load: $procs processes, RSS summed $arss MB (as issue 17 counts it), PSS summed $apss MB"
fi
awk -v p="$(median "${page_rates[@]}")" -v pl="$(median "${page_p99[@]}")" -v pc="$(median "${page_cpu[@]}")" \
  -v c="$(median "${css_rates[@]}")" -v cl="$(median "${css_p99[@]}")" -v cc="$(median "${css_cpu[@]}")" \
  -v a="$apache" -v al="$apache_latency" \
  -v rss="$rss" -v tr="$target_ratio" -v trss="$target_rss" 'BEGIN{
  r = p/c
  printf "median: page %.0f req/s (p99 %.2f ms, %.0f µs CPU), stylesheet %.0f req/s (p99 %.2f ms, %.0f µs CPU)\n", p, pl, pc, c, cl, cc
  printf "page/stylesheet: %.2f by req/s, %.2f by CPU per request (target >= %.2f)\n", r, cc/pc, tr
  if (a > 0) {
    # Measured side by side: the target itself, 3x Apache.
    printf "median: Apache %.0f req/s (p99 %.2f ms); page vs 3x Apache: %.2f (target >= 1)\n", a, al, p/(3*a)
  } else {
    printf "page vs 3x mod_auth_openidc on issue 17'"'"'s machine (13 000 req/s): %.2f\n", p/13000
  }
  printf "peak RSS %.1f MB (target <= %d MB)\n", rss, trss
  exit (cc/pc < tr || rss > trss || (a > 0 && p < 3*a))
}'
