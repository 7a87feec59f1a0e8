// Package metrics exposes InfoPatient's metrics in the Prometheus text
// format: requests by route and status, sign-ins by authority and outcome,
// Covercard lookups by outcome and latency, token refreshes, the database
// pool, and the Go runtime and process.
//
// It uses VictoriaMetrics/metrics, not Prometheus' own client: the same
// exposition without protobuf, whose descriptors and code kept 2.4 MB of
// every instance resident (docs/benchmarks.md, sixth pass).
package metrics

import (
	"database/sql"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
)

// The library's switch is process-wide: every set writes # TYPE lines,
// as Prometheus' client did.
func init() { vm.ExposeMetadata(true) }

var (
	requestBuckets   = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	covercardBuckets = []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
)

// Metrics holds every series; one per App, never global, so that two
// servers in one test process do not share counters.
type Metrics struct {
	set *vm.Set
	db  *sql.DB

	// The series of every request, found without building their names.
	requests        family[requestKey, *vm.Counter]
	requestDuration family[string, *vm.PrometheusHistogram]

	covercardLatency *vm.PrometheusHistogram
}

type requestKey struct {
	route, method string
	status        int
}

// New makes the series; db, when not nil, is the pool reported.
func New(db *sql.DB) *Metrics {
	set := vm.NewSet()
	return &Metrics{
		set: set,
		db:  db,
		requests: family[requestKey, *vm.Counter]{make: func(k requestKey) *vm.Counter {
			return set.GetOrCreateCounter(series("infopatient_http_requests_total",
				"method", k.method, "route", k.route, "status", strconv.Itoa(k.status)))
		}},
		requestDuration: family[string, *vm.PrometheusHistogram]{make: func(route string) *vm.PrometheusHistogram {
			return set.GetOrCreatePrometheusHistogramExt(series("infopatient_http_request_duration_seconds", "route", route), requestBuckets)
		}},
		covercardLatency: set.NewPrometheusHistogramExt("infopatient_covercard_lookup_duration_seconds", covercardBuckets),
	}
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.set.WritePrometheus(w)
		vm.WriteProcessMetrics(w)
		vm.WriteFDMetrics(w)
		if m.db != nil {
			writeDBStats(w, m.db.Stats())
		}
	})
}

// writeDBStats writes the pool's figures under the names Prometheus'
// client gives them, so that dashboards keep working.
func writeDBStats(w io.Writer, s sql.DBStats) {
	name := func(n string) string { return series("go_sql_"+n, "db_name", "infopatient") }
	vm.WriteGaugeUint64(w, name("max_open_connections"), uint64(s.MaxOpenConnections))
	vm.WriteGaugeUint64(w, name("open_connections"), uint64(s.OpenConnections))
	vm.WriteGaugeUint64(w, name("in_use_connections"), uint64(s.InUse))
	vm.WriteGaugeUint64(w, name("idle_connections"), uint64(s.Idle))
	vm.WriteCounterUint64(w, name("wait_count_total"), uint64(s.WaitCount))
	vm.WriteCounterFloat64(w, name("wait_duration_seconds_total"), s.WaitDuration.Seconds())
	vm.WriteCounterUint64(w, name("max_idle_closed_total"), uint64(s.MaxIdleClosed))
	vm.WriteCounterUint64(w, name("max_idle_time_closed_total"), uint64(s.MaxIdleTimeClosed))
	vm.WriteCounterUint64(w, name("max_lifetime_closed_total"), uint64(s.MaxLifetimeClosed))
}

// Request counts one HTTP request.
func (m *Metrics) Request(route, method string, status int, d time.Duration) {
	m.requests.get(requestKey{route: route, method: methodLabel(method), status: status}).Inc()
	m.requestDuration.get(route).Update(d.Seconds())
}

// SignIn counts a sign-in attempt.
func (m *Metrics) SignIn(authority, outcome string) {
	m.set.GetOrCreateCounter(series("infopatient_sign_ins_total", "authority", authority, "outcome", outcome)).Inc()
}

// CovercardLookup counts a lookup and its latency.
func (m *Metrics) CovercardLookup(outcome string, d time.Duration) {
	m.set.GetOrCreateCounter(series("infopatient_covercard_lookups_total", "outcome", outcome)).Inc()
	m.covercardLatency.Update(d.Seconds())
}

// TokenRefresh counts a HIN token request.
func (m *Metrics) TokenRefresh(kind, outcome string) {
	m.set.GetOrCreateCounter(series("infopatient_token_refreshes_total", "kind", kind, "outcome", outcome)).Inc()
}

// methodLabel keeps the label set bounded: a client may send any token
// as a method, and each would otherwise open a new series.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}

// labelValue escapes a label value as the text format wants it.
var labelValue = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// series names one series: name{label="value",...}, labels in the order
// given (Prometheus' client sorted them; callers keep that order).
func series(name string, labels ...string) string {
	var b strings.Builder
	b.WriteString(name)
	for i := 0; i+1 < len(labels); i += 2 {
		if i == 0 {
			b.WriteByte('{')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(labels[i])
		b.WriteString(`="`)
		labelValue.WriteString(&b, labels[i+1])
		b.WriteByte('"')
	}
	if len(labels) > 1 {
		b.WriteByte('}')
	}
	return b.String()
}

// family is a set of series told apart by a key: each is made once, then
// found with a read lock and no allocation.
type family[K comparable, M any] struct {
	make func(K) M

	mu sync.RWMutex
	m  map[K]M
}

func (f *family[K, M]) get(k K) M {
	f.mu.RLock()
	v, ok := f.m[k]
	f.mu.RUnlock()
	if ok {
		return v
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if v, ok = f.m[k]; !ok {
		if f.m == nil {
			f.m = make(map[K]M)
		}
		v = f.make(k)
		f.m[k] = v
	}
	return v
}
