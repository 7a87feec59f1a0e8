package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/secretbox"
	"github.com/infopatient/infopatient/internal/testdb"
)

// Every journey signs in from 127.0.0.1: the sign-in limits would stop a
// load run after a few journeys, as they should stop a password guesser.
var unthrottled = map[string]string{
	"INFOPATIENT_LOGIN_MAX_PER_ACCOUNT":     "1000000",
	"INFOPATIENT_LOGIN_MAX_PER_ADDRESS":     "1000000",
	"INFOPATIENT_SIGNIN_STARTS_PER_ADDRESS": "1000000",
}

func withEnv(extra map[string]string) map[string]string {
	env := map[string]string{}
	for k, v := range unthrottled {
		env[k] = v
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// mustOptions parses a command line that must be valid.
func mustOptions(t *testing.T, args ...string) options {
	t.Helper()
	o, err := parseOptions(args, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// checkClean fails unless the run completed journeys of every kind the
// scenario asks for, answered every step and saw no error.
func checkClean(t *testing.T, rep *report, kinds ...string) {
	t.Helper()
	var out bytes.Buffer
	rep.write(&out)
	if rep.errors() != 0 {
		t.Fatalf("%d errors:\n%s", rep.errors(), out.String())
	}
	for _, k := range kinds {
		if rep.rec.journeys[k] == 0 {
			t.Errorf("no %s journey completed:\n%s", k, out.String())
		}
	}
	for _, name := range stepOrder {
		if s := rep.rec.steps[name]; s == nil || len(s.latencies) == 0 {
			t.Errorf("step %q never ran:\n%s", name, out.String())
		}
	}
}

// A two-second mixed run against the demo portal completes local and PSC
// journeys, every step of them, with no error.
func TestMixedRunAgainstOnePortalHasNoErrors(t *testing.T) {
	p := apptest.Start(t, withEnv(nil))
	rep := drive(t.Context(), mustOptions(t, "-base", p.URL, "-duration", "2s", "-workers", "4"))
	checkClean(t, rep, scenarioLocal, scenarioPSC)
	if rep.elapsed < 2*time.Second {
		t.Errorf("the run stopped after %s", rep.elapsed)
	}
}

// Against two instances on one PostgreSQL database and one sandbox, the
// portal requests are spread over both and every journey, sign-ins that
// start on one instance and complete on the other included, succeeds.
func TestMixedRunAgainstTwoInstancesHasNoErrors(t *testing.T) {
	dsn := testdb.URL(t)
	if dsn == "" {
		t.Skip("two instances need PostgreSQL: set TEST_DATABASE_URL=postgres://…")
	}
	key := secretbox.EncodeKey(secretbox.GenerateKey())
	a := apptest.Start(t, withEnv(map[string]string{"INFOPATIENT_DATABASE_URL": dsn, "INFOPATIENT_TOKEN_KEY": key}))
	// The second instance presents the first one's URL as the public one
	// and uses the first one's sandbox, as both would use one balancer and
	// the same authorities.
	sb := a.App.Sandbox
	b := apptest.Start(t, withEnv(map[string]string{
		"INFOPATIENT_DATABASE_URL": dsn, "INFOPATIENT_TOKEN_KEY": key, "INFOPATIENT_BASE_URL": a.URL,
		"INFOPATIENT_PSC_ISSUER": sb.PSCIssuer(), "INFOPATIENT_PSC_CLIENT_ID": sandbox.PSCClientID, "INFOPATIENT_PSC_CLIENT_SECRET": sandbox.PSCClientSecret,
		"INFOPATIENT_HIN_AUTHORIZE_URL": sb.HINAuthorizeURL(), "INFOPATIENT_HIN_TOKEN_URL": sb.HINTokenURL(),
		"INFOPATIENT_HIN_CLIENT_ID": sandbox.HINClientID, "INFOPATIENT_HIN_CLIENT_SECRET": sandbox.HINClientSecret,
		"INFOPATIENT_COVERCARD_URL": sb.CovercardURL(), "INFOPATIENT_COVERCARD_CLIENT_ID": sandbox.CovercardClientID, "INFOPATIENT_COVERCARD_CLIENT_SECRET": sandbox.CovercardClientSecret,
	}))
	rep := drive(t.Context(), mustOptions(t, "-base", a.URL+","+b.URL, "-duration", "2s", "-workers", "4"))
	checkClean(t, rep, scenarioLocal, scenarioPSC)
	for i, n := range rep.rec.perInstance {
		if n == 0 {
			t.Errorf("instance %d served no request", i)
		}
	}
	if d := rep.rec.perInstance[0] - rep.rec.perInstance[1]; d < -4 || d > 4 {
		t.Errorf("requests per instance %v: not spread in turn", rep.rec.perInstance)
	}
}

// Errors are counted per step, described without URLs, and fail the run.
func TestErrorsAreReportedAndFailTheRun(t *testing.T) {
	// Starting sign-ins is limited per address: past one, the portal
	// answers 429 — the two workers' first journeys already, however
	// slow the machine. (Correct passwords are never throttled.)
	p := apptest.Start(t, map[string]string{"INFOPATIENT_SIGNIN_STARTS_PER_ADDRESS": "1"})
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"-base", p.URL, "-duration", "1s", "-workers", "2", "-scenario", "psc"}, &out, &errOut)
	if code != exitErrors {
		t.Fatalf("exit status %d, want %d:\n%s%s", code, exitErrors, out.String(), errOut.String())
	}
	report := out.String()
	if !strings.Contains(report, "GET /auth/psc/login: status 429, want a 302 redirect") {
		t.Errorf("the report does not name the throttled sign-ins:\n%s", report)
	}
	if strings.Contains(report, "errors    0\n") || strings.Contains(report, "http://") {
		t.Errorf("the report hides the errors or shows URLs:\n%s", report)
	}
}

// An instance that does not answer is an error, not an empty success.
func TestUnreachableInstanceFailsTheRun(t *testing.T) {
	var out bytes.Buffer
	// Port 1 on loopback: nothing listens there.
	code := run(t.Context(), []string{"-base", "http://127.0.0.1:1", "-duration", "200ms", "-workers", "1"}, &out, &bytes.Buffer{})
	if code != exitErrors || !strings.Contains(out.String(), "GET /: ") {
		t.Fatalf("exit status %d:\n%s", code, out.String())
	}
}
