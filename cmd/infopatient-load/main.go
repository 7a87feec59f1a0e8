// Command infopatient-load drives simulated professionals through
// InfoPatient for a fixed time — sign-in (local, or Pro Santé Connect
// through the sandbox's e-CPS page), a NIR lookup, a Swiss card lookup,
// logout — against one or more instances, and reports requests per second,
// latency percentiles per step and errors. It exits non-zero when any
// request failed.
//
// It is a measuring tool for a test bench, not a stress weapon: it talks
// to loopback addresses only, runs at most five minutes, and its journeys
// use the demo accounts and the sandbox's test cards.
//
//	go run ./cmd/infopatient-load -base http://127.0.0.1:8081,http://127.0.0.1:8082 -duration 20s -workers 8 -scenario mixed
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK     = 0
	exitErrors = 1 // the run saw errors, or completed no journey
	exitUsage  = 2
)

// run parses the command line, drives the load and prints the report.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parseOptions(args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "infopatient-load:", err)
		return exitUsage
	}
	rep := drive(ctx, opts)
	rep.write(stdout)
	if rep.errors() > 0 || rep.journeys() == 0 {
		return exitErrors
	}
	return exitOK
}
