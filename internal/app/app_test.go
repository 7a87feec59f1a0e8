package app

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// Run returns once everything it started has stopped: the request in
// flight when ctx is cancelled is answered, and the sweep under way
// finishes, before the caller goes on to Close the database.
func TestRunStopsEverythingBeforeReturning(t *testing.T) {
	a, _, err := newApp(t, loadConfig(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	requested, answer := make(chan struct{}), make(chan struct{})
	a.handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(requested)
		<-answer
		_, _ = io.WriteString(w, "answered")
	})
	// The sweeper reads the clock as a sweep begins: the first one waits
	// there until the test lets it go.
	sweeping, sweep := make(chan struct{}), make(chan struct{})
	a.sweepEvery = time.Millisecond
	a.now = func() time.Time {
		select {
		case <-sweeping:
		default:
			close(sweeping)
			<-sweep
		}
		return time.Now()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- a.Run(ctx, ln, nil, nil) }()
	body := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			body <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body <- string(b)
	}()
	<-requested
	<-sweeping
	cancel()

	stillRunning := func(what string) {
		t.Helper()
		select {
		case err := <-ran:
			t.Fatalf("Run returned (%v) before %s", err, what)
		case <-time.After(50 * time.Millisecond):
		}
	}
	stillRunning("the request in flight was answered")
	close(answer)
	if got := <-body; got != "answered" {
		t.Errorf("request in flight: %q", got)
	}
	stillRunning("the sweeper stopped")
	close(sweep)
	select {
	case err := <-ran:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
}
