package main

import (
	"bytes"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestOptionsDefaults(t *testing.T) {
	o := mustOptions(t)
	if len(o.bases) != 1 || o.bases[0].String() != "http://127.0.0.1:8080" || o.public.String() != "http://127.0.0.1:8080" {
		t.Errorf("bases %v public %v", o.bases, o.public)
	}
	if o.duration != 20*time.Second || o.workers != 8 || o.scenario != scenarioMixed {
		t.Errorf("duration %s workers %d scenario %s", o.duration, o.workers, o.scenario)
	}
	// The four demo accounts, one per worker in turn.
	if got := strings.Join(o.journey.logins, " "); got != "751234567 756100001 691234561 931234565" {
		t.Errorf("logins %s", got)
	}
	if b := newBrowser(&o, newTransport(1), newRecorder(1), 5); b.login != "756100001" {
		t.Errorf("worker 5 signs in as %s", b.login)
	}
}

func TestOptionsSeveralInstancesAndPublicURL(t *testing.T) {
	o := mustOptions(t, "-base", "http://127.0.0.1:8081/, http://[::1]:8082", "-public", "http://localhost:8080")
	if len(o.bases) != 2 || o.bases[0].Host != "127.0.0.1:8081" || o.bases[1].Host != "[::1]:8082" || o.public.Host != "localhost:8080" {
		t.Errorf("bases %v public %v", o.bases, o.public)
	}
}

func TestOptionsRefused(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"remote host", []string{"-base", "http://example.com"}, "not a loopback address"},
		{"private address", []string{"-base", "http://10.0.0.1:8080"}, "not a loopback address"},
		{"one remote among instances", []string{"-base", "http://127.0.0.1:8081,http://192.0.2.7:8082"}, "192.0.2.7:8082: not a loopback"},
		{"remote public URL", []string{"-public", "https://infopatient.example.fr"}, "-public"},
		{"localhost look-alike", []string{"-base", "http://localhost.example.com"}, "not a loopback address"},
		{"unspecified address", []string{"-base", "http://0.0.0.0:8080"}, "not a loopback address"},
		{"other scheme", []string{"-base", "ftp://127.0.0.1"}, "only http and https"},
		{"relative", []string{"-base", "127.0.0.1:8080"}, "not an absolute URL"},
		{"path", []string{"-base", "http://127.0.0.1:8080/portal"}, "root URL"},
		{"credentials", []string{"-base", "http://user:pw@127.0.0.1:8080"}, "root URL"},
		{"too long", []string{"-duration", "6m"}, "at most 5m0s"},
		{"no time", []string{"-duration", "0s"}, "-duration"},
		{"no worker", []string{"-workers", "0"}, "-workers 0"},
		{"too many workers", []string{"-workers", "257"}, "-workers 257"},
		{"unknown scenario", []string{"-scenario", "hin"}, `-scenario "hin"`},
		{"no timeout", []string{"-timeout", "0s"}, "-timeout"},
		{"no account", []string{"-login", " , "}, "-login"},
		{"stray argument", []string{"now"}, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseOptions(tt.args, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestLoopbackOnlyDialling(t *testing.T) {
	tests := []struct {
		address string
		ok      bool
	}{
		{"127.0.0.1:80", true},
		{"127.3.2.1:80", true},
		{"[::1]:80", true},
		{"[::ffff:127.0.0.1]:80", true},
		{"192.0.2.1:80", false},
		{"[2001:db8::1]:80", false},
		{"0.0.0.0:80", false},
		{"localhost:80", false}, // the dialler sees resolved addresses only
		{"nonsense", false},
	}
	for _, tt := range tests {
		err := loopbackOnly("tcp", tt.address, nil)
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.address, err)
		}
	}
}

// Portal requests go to the instances in turn, with the cookies of one
// site; a redirect off loopback is refused before any dial.
func TestRouting(t *testing.T) {
	o := mustOptions(t, "-base", "http://127.0.0.1:8081,http://127.0.0.1:8082", "-public", "http://127.0.0.1:8080")
	b := newBrowser(&o, newTransport(1), newRecorder(2), 1)
	b.reset()
	var hosts []string
	for _, target := range []string{"http://127.0.0.1:8080/login", "http://127.0.0.1:8081/patient", "http://127.0.0.1:8082/", "http://127.0.0.1:8080/auth/psc/callback?code=x"} {
		u, _ := url.Parse(target)
		sent, cookieURL, _, err := b.route(u)
		if err != nil {
			t.Fatal(err)
		}
		if cookieURL.Host != "127.0.0.1:8080" || cookieURL.Path != u.Path {
			t.Errorf("%s: cookies kept under %s", target, cookieURL)
		}
		if sent.Path != u.Path || sent.RawQuery != u.RawQuery {
			t.Errorf("%s sent as %s", target, sent)
		}
		hosts = append(hosts, sent.Host)
	}
	if want := "127.0.0.1:8082 127.0.0.1:8081 127.0.0.1:8082 127.0.0.1:8081"; strings.Join(hosts, " ") != want {
		t.Errorf("instances %v, want %s", hosts, want)
	}

	sandbox, _ := url.Parse("http://127.0.0.1:9090/sandbox/psc/auth")
	if sent, _, instance, err := b.route(sandbox); err != nil || sent.String() != sandbox.String() || instance != -1 {
		t.Errorf("sandbox URL routed to %v (instance %d): %v", sent, instance, err)
	}
	// A demo instance's own simulators keep their state: never rotated.
	mounted, _ := url.Parse("http://127.0.0.1:8081/sandbox/psc/auth/realms/esante-wallet/protocol/openid-connect/auth")
	if sent, _, instance, err := b.route(mounted); err != nil || sent.String() != mounted.String() || instance != -1 {
		t.Errorf("demo sandbox URL routed to %v (instance %d): %v", sent, instance, err)
	}
	away, _ := url.Parse("https://wallet.esante.gouv.fr/auth")
	if _, _, _, err := b.route(away); !errors.Is(err, errNotLoopback) {
		t.Errorf("redirect off loopback: %v", err)
	}
}

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		values []time.Duration
		p      float64
		want   time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 50, 7 * time.Millisecond},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 95, 4 * time.Millisecond},
		{ms(hundred...), 50, 50 * time.Millisecond},
		{ms(hundred...), 95, 95 * time.Millisecond},
		{ms(hundred...), 99, 99 * time.Millisecond},
		{ms(hundred...), 100, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(tt.values, tt.p); got != tt.want {
			t.Errorf("p%v of %d values: %s, want %s", tt.p, len(tt.values), got, tt.want)
		}
	}
}

// FuzzPortalURL: whatever is typed, an accepted URL is http(s) on a
// loopback host, with nothing but scheme and host.
func FuzzPortalURL(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:8080", "http://localhost", "https://[::1]:443/", "http://example.com", "http://127.0.0.1@example.com", "http://[::ffff:10.0.0.1]", "javascript:alert(1)", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := portalURL(raw)
		if err != nil {
			return
		}
		if u.Path != "" || u.RawQuery != "" || u.User != nil || (u.Scheme != "http" && u.Scheme != "https") {
			t.Fatalf("%q accepted as %s", raw, u)
		}
		if checkLoopback(u) != nil {
			t.Fatalf("%q accepted off loopback", raw)
		}
	})
}
