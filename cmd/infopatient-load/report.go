package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// report is the outcome of a run.
type report struct {
	opts    options
	elapsed time.Duration
	rec     *recorder
}

func (r *report) requests() int {
	n := 0
	for _, s := range r.rec.steps {
		n += len(s.latencies)
	}
	return n
}

func (r *report) errors() int {
	n := 0
	for _, s := range r.rec.steps {
		n += s.errors
	}
	return n
}

func (r *report) journeys() int {
	n := 0
	for _, c := range r.rec.journeys {
		n += c
	}
	return n
}

func (r *report) rate(n int) float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(n) / r.elapsed.Seconds()
}

// write prints the run's parameters, one line per step and the totals.
func (r *report) write(w io.Writer) {
	o := r.opts
	fmt.Fprintf(w, "infopatient-load: scenario %s, %d instance(s), %d workers, %s (ran %.1fs)\n\n",
		o.scenario, len(o.bases), o.workers, o.duration, r.elapsed.Seconds())
	const row = "%-30s %9s %7s %9s %9s %9s %9s\n"
	fmt.Fprintf(w, row, "step", "requests", "errors", "p50", "p95", "p99", "max")
	for _, name := range stepOrder {
		s, ok := r.rec.steps[name]
		if !ok {
			continue
		}
		l := s.sortedLatencies()
		var maxL time.Duration
		if len(l) > 0 {
			maxL = l[len(l)-1]
		}
		fmt.Fprintf(w, row, name, strconv.Itoa(len(l)), strconv.Itoa(s.errors),
			ms(percentile(l, 50)), ms(percentile(l, 95)), ms(percentile(l, 99)), ms(maxL))
	}

	fmt.Fprintf(w, "\nrequests  %d (%.1f/s)", r.requests(), r.rate(r.requests()))
	if len(o.bases) > 1 {
		var parts []string
		for i, n := range r.rec.perInstance {
			parts = append(parts, fmt.Sprintf("%s %d", o.bases[i].Host, n))
		}
		fmt.Fprintf(w, " — portal requests per instance: %s", strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, "\njourneys  %d (%.1f/s)", r.journeys(), r.rate(r.journeys()))
	for _, k := range []string{scenarioLocal, scenarioPSC} {
		if n, ok := r.rec.journeys[k]; ok {
			fmt.Fprintf(w, ", %s %d", k, n)
		}
	}
	fmt.Fprintf(w, "\nerrors    %d\n", r.errors())
	msgs := make([]string, 0, len(r.rec.failures))
	for m := range r.rec.failures {
		msgs = append(msgs, m)
	}
	slices.Sort(msgs)
	for _, m := range msgs {
		fmt.Fprintf(w, "  %6d × %s\n", r.rec.failures[m], m)
	}
}

// ms prints a latency in milliseconds, to a tenth below 100 ms.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	if v < 100 {
		return fmt.Sprintf("%.1fms", v)
	}
	return fmt.Sprintf("%.0fms", v)
}
