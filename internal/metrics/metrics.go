// Package metrics exposes InfoPatient's Prometheus metrics: requests by
// route and status, sign-ins by authority and outcome, Covercard lookups by
// outcome and latency, token refreshes, and the database pool.
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds every collector; one per App, never global, so that two
// servers in one test process do not share counters.
type Metrics struct {
	registry *prometheus.Registry

	requests         *prometheus.CounterVec
	requestDuration  *prometheus.HistogramVec
	signIns          *prometheus.CounterVec
	covercardLookups *prometheus.CounterVec
	covercardLatency prometheus.Histogram
	tokenRefreshes   *prometheus.CounterVec
}

// New registers the collectors, the Go runtime's and the pool of db.
func New(db *sql.DB) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "infopatient_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		requestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "infopatient_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		signIns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "infopatient_sign_ins_total", Help: "Sign-in attempts by authority (local, psc, hin) and outcome.",
		}, []string{"authority", "outcome"}),
		covercardLookups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "infopatient_covercard_lookups_total", Help: "Covercard lookups by outcome.",
		}, []string{"outcome"}),
		covercardLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "infopatient_covercard_lookup_duration_seconds", Help: "Covercard lookup latency, token included.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
		tokenRefreshes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "infopatient_token_refreshes_total", Help: "HIN token requests by kind (sign_in, user_refresh, service) and outcome.",
		}, []string{"kind", "outcome"}),
	}
	m.registry.MustRegister(m.requests, m.requestDuration, m.signIns, m.covercardLookups, m.covercardLatency, m.tokenRefreshes,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.registry.MustRegister(collectors.NewDBStatsCollector(db, "infopatient"))
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// Request counts one HTTP request.
func (m *Metrics) Request(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, methodLabel(method), statusLabel(status)).Inc()
	m.requestDuration.WithLabelValues(route).Observe(d.Seconds())
}

// SignIn counts a sign-in attempt.
func (m *Metrics) SignIn(authority, outcome string) {
	m.signIns.WithLabelValues(authority, outcome).Inc()
}

// CovercardLookup counts a lookup and its latency.
func (m *Metrics) CovercardLookup(outcome string, d time.Duration) {
	m.covercardLookups.WithLabelValues(outcome).Inc()
	m.covercardLatency.Observe(d.Seconds())
}

// TokenRefresh counts a HIN token request.
func (m *Metrics) TokenRefresh(kind, outcome string) {
	m.tokenRefreshes.WithLabelValues(kind, outcome).Inc()
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

// statusLabel keeps the label set bounded: real codes are few.
func statusLabel(code int) string { return strconv.Itoa(code) }
