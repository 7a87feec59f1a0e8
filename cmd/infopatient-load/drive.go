package main

import (
	"context"
	"sync"
	"time"
)

// failurePause is how long a worker waits after a failed journey.
const failurePause = 100 * time.Millisecond

// drive runs opts.workers simulated professionals until opts.duration
// has passed: each starts journeys one after the other, each journey with
// a fresh browser; a journey under way when time is up is finished, every
// request staying bounded by opts.timeout.
func drive(ctx context.Context, opts options) *report {
	transport := newTransport(opts.workers)
	defer transport.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, opts.duration+2*opts.timeout)
	defer cancel()

	start := time.Now()
	end := start.Add(opts.duration)
	recs := make([]*recorder, opts.workers)
	var wg sync.WaitGroup
	for w := range opts.workers {
		recs[w] = newRecorder(len(opts.bases))
		b := newBrowser(&opts, transport, recs[w], w)
		wg.Go(func() {
			for i := 0; time.Now().Before(end) && ctx.Err() == nil; i++ {
				name := journeyOf(opts.scenario, w+i)
				b.reset()
				var err error
				if name == scenarioPSC {
					err = b.pscJourney(ctx)
				} else {
					err = b.localJourney(ctx)
				}
				if err == nil {
					recs[w].journeys[name]++
					continue
				}
				// A failing portal is not hammered: the run has failed
				// already, the pause keeps its logs readable.
				select {
				case <-ctx.Done():
				case <-time.After(failurePause):
				}
			}
		})
	}
	wg.Wait()

	rep := &report{opts: opts, elapsed: time.Since(start), rec: newRecorder(len(opts.bases))}
	for _, r := range recs {
		rep.rec.merge(r)
	}
	return rep
}

// journeyOf is the sign-in of journey n: mixed alternates, so that every
// worker does both.
func journeyOf(scenario string, n int) string {
	if scenario == scenarioMixed {
		if n%2 == 0 {
			return scenarioLocal
		}
		return scenarioPSC
	}
	return scenario
}
