package main

import (
	"errors"
	"slices"
	"time"
)

// recorder collects one worker's measurements; reports merge them, so
// workers never contend for a lock while measuring.
type recorder struct {
	steps       map[string]*stepStats
	perInstance []int
	journeys    map[string]int // completed, by scenario
	failures    map[string]int // error message → count
}

// stepStats are one step's latencies and failures.
type stepStats struct {
	latencies []time.Duration
	errors    int
}

func newRecorder(instances int) *recorder {
	return &recorder{
		steps:       map[string]*stepStats{},
		perInstance: make([]int, instances),
		journeys:    map[string]int{},
		failures:    map[string]int{},
	}
}

func (r *recorder) step(name string) *stepStats {
	s := r.steps[name]
	if s == nil {
		s = &stepStats{}
		r.steps[name] = s
	}
	return s
}

// took records an answered request; instance is -1 outside the portal.
func (r *recorder) took(step string, instance int, d time.Duration) {
	s := r.step(step)
	s.latencies = append(s.latencies, d)
	if instance >= 0 {
		r.perInstance[instance]++
	}
}

// fail records a failed step and returns err. A step that was answered
// but wrongly counts in both its latencies and its errors.
func (r *recorder) fail(step string, err error) error {
	r.step(step).errors++
	var se *stepError
	msg := err.Error()
	if errors.As(err, &se) {
		msg = se.Error()
	}
	r.failures[msg]++
	return err
}

func (r *recorder) merge(o *recorder) {
	for name, s := range o.steps {
		mine := r.step(name)
		mine.latencies = append(mine.latencies, s.latencies...)
		mine.errors += s.errors
	}
	for i, n := range o.perInstance {
		r.perInstance[i] += n
	}
	for k, n := range o.journeys {
		r.journeys[k] += n
	}
	for k, n := range o.failures {
		r.failures[k] += n
	}
}

// percentile is the nearest-rank percentile p (0-100) of sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted)) + 0.999999999)
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// sortedLatencies returns a sorted copy.
func (s *stepStats) sortedLatencies() []time.Duration {
	out := slices.Clone(s.latencies)
	slices.Sort(out)
	return out
}
