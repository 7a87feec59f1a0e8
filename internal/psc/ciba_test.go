package psc_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// testClock is a settable clock shared by the simulator and the client.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *testClock { return &testClock{now: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// clocked is an RP whose simulator and client share clk.
func clocked(t *testing.T, clk *testClock, more ...func(*psc.Config)) *rp {
	return newRP(t, setup{
		simConfig: func(c *pscsim.Config) { c.Now = clk.Now },
		client: func(c *psc.Config) {
			c.Now = clk.Now
			for _, m := range more {
				m(c)
			}
		},
	})
}

// answer approves or refuses a decoupled sign-in in the e-CPS app.
func (r *rp) answer(t *testing.T, idNat, authReqID, action string) {
	t.Helper()
	resp, err := http.PostForm(r.sim.ECPSAppURL(), url.Values{"idnat": {idNat}, "req": {authReqID}, "action": {action}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("e-CPS app: %d", resp.StatusCode)
	}
}

func TestCIBAApprovedSignsInAsTheRedirectFlow(t *testing.T) {
	t.Parallel()
	clk := newClock()
	r := clocked(t, clk)
	ctx := context.Background()
	binding := psc.NewBindingMessage()
	start, err := r.client.StartCIBA(ctx, psc.CIBARequest{IDNat: virginie, BindingMessage: binding})
	if err != nil || start.AuthReqID == "" || start.Interval != 5*time.Second || !start.Expires.Equal(clk.Now().Add(2*time.Minute)) {
		t.Fatalf("start: %+v %v", start, err)
	}
	poll, err := r.client.PollCIBA(ctx, start.AuthReqID, start.Interval)
	if err != nil || poll.Status != psc.CIBAPending || poll.Interval != 5*time.Second || poll.Login != nil {
		t.Fatalf("first poll: %+v %v", poll, err)
	}
	// Polled too soon: slow_down, and a larger interval to wait.
	poll, err = r.client.PollCIBA(ctx, start.AuthReqID, poll.Interval)
	if err != nil || poll.Status != psc.CIBASlowDown || poll.Interval != 10*time.Second {
		t.Fatalf("early poll: %+v %v", poll, err)
	}
	r.answer(t, virginie, start.AuthReqID, "approve")
	clk.advance(poll.Interval)
	poll, err = r.client.PollCIBA(ctx, start.AuthReqID, poll.Interval)
	if err != nil || poll.Status != psc.CIBAApproved || poll.Login == nil {
		t.Fatalf("after approval: %+v %v", poll, err)
	}
	l := poll.Login
	if l.Professional.IDNat != virginie || l.ACR != "eidas1" || l.ACRMissing || l.SID == "" || l.RawIDToken == "" ||
		!strings.HasSuffix(l.Subject, ":"+virginie) || l.Tokens.AccessToken == "" || l.Tokens.RefreshToken == "" ||
		!l.Tokens.Expiry.After(clk.Now()) || l.IDTokenClaims["authMode"] != "MOBILE" {
		t.Errorf("login %+v", l)
	}
	// A card gives eidas2, above the eidas1 asked for: accepted.
	start, err = r.client.StartCIBA(ctx, psc.CIBARequest{IDNat: virginie, BindingMessage: "07", Channel: psc.ChannelCard})
	if err != nil {
		t.Fatal(err)
	}
	r.answer(t, virginie, start.AuthReqID, "approve")
	if poll, err := r.client.PollCIBA(ctx, start.AuthReqID, start.Interval); err != nil || poll.Status != psc.CIBAApproved || poll.Login.ACR != "eidas2" {
		t.Errorf("card: %+v %v", poll, err)
	}
}

func TestCIBADeniedExpiredAndRefused(t *testing.T) {
	t.Parallel()
	clk := newClock()
	r := clocked(t, clk)
	ctx := context.Background()
	start, err := r.client.StartCIBA(ctx, psc.CIBARequest{IDNat: virginie, BindingMessage: "12"})
	if err != nil {
		t.Fatal(err)
	}
	r.answer(t, virginie, start.AuthReqID, "refuse")
	if poll, err := r.client.PollCIBA(ctx, start.AuthReqID, start.Interval); err != nil || poll.Status != psc.CIBADenied {
		t.Errorf("refused: %+v %v", poll, err)
	}
	start, _ = r.client.StartCIBA(ctx, psc.CIBARequest{IDNat: virginie, BindingMessage: "34"})
	clk.advance(3 * time.Minute)
	if poll, err := r.client.PollCIBA(ctx, start.AuthReqID, start.Interval); err != nil || poll.Status != psc.CIBAExpired {
		t.Errorf("expired: %+v %v", poll, err)
	}
	// Collected once: a second poll finds nothing.
	if _, err := r.client.PollCIBA(ctx, start.AuthReqID, start.Interval); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("second poll: %v", err)
	}
	if _, err := r.client.PollCIBA(ctx, "", 0); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("empty id: %v", err)
	}
	// An idNat PSC does not know; requests the client refuses to send.
	if _, err := r.client.StartCIBA(ctx, psc.CIBARequest{IDNat: "899999999999", BindingMessage: "56"}); !errors.Is(err, psc.ErrUnknownProfessional) {
		t.Errorf("unknown idNat: %v", err)
	}
	for _, req := range []psc.CIBARequest{
		{IDNat: "8997 00218896", BindingMessage: "56"},
		{IDNat: virginie, BindingMessage: "567"},
		{IDNat: virginie, BindingMessage: ""},
		{IDNat: virginie, BindingMessage: "56", Channel: "SMS"},
	} {
		if _, err := r.client.StartCIBA(ctx, req); err == nil {
			t.Errorf("%+v accepted", req)
		}
	}
}

// An approved decoupled sign-in's ID token goes through the redirect
// flow's checks: one for another audience is refused, and so is one
// without acr where eidas2 was asked for.
func TestCIBAIDTokenIsVerified(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	ctx := context.Background()
	approved := func() (psc.CIBAPoll, error) {
		start, err := r.client.StartCIBA(ctx, psc.CIBARequest{IDNat: virginie, BindingMessage: "78"})
		if err != nil {
			t.Fatal(err)
		}
		r.answer(t, virginie, start.AuthReqID, "approve")
		return r.client.PollCIBA(ctx, start.AuthReqID, start.Interval)
	}
	r.sim.Misbehave(clientID, pscsim.WrongAudience, false)
	if _, err := approved(); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("wrong audience: %v", err)
	}
	r.sim.Misbehave(clientID, pscsim.BadSignature, false)
	if _, err := approved(); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("bad signature: %v", err)
	}
	r.sim.Misbehave(clientID, pscsim.NoACR, false)
	if poll, err := approved(); err != nil || poll.Login.ACR != "eidas1" || !poll.Login.ACRMissing {
		t.Errorf("no acr, eidas1 asked: %+v %v", poll, err)
	}
}

// The missing-acr rule: an ID token without acr reads as eidas1 and
// passes where eidas1 is enough, and only there.
func TestMissingACRReadsAsEidas1(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	r.sim.Misbehave(clientID, pscsim.NoACR, false)
	login, err := r.login(t)
	if err != nil || psc.MissingACRLevel != "eidas1" || login.ACR != "eidas1" || !login.ACRMissing {
		t.Fatalf("eidas1 asked: %+v %v", login, err)
	}
	if _, has := login.IDTokenClaims["acr"]; has {
		t.Error("the fault did not remove acr")
	}
	if login, err := r.login(t); err != nil || login.ACRMissing || login.ACR != "eidas1" {
		t.Errorf("with acr: %+v %v", login, err)
	}

	strict := newRP(t, setup{client: func(c *psc.Config) { c.ACRValues = "eidas2" }})
	strict.sim.Misbehave(clientID, pscsim.NoACR, false)
	if _, err := strict.login(t); !errors.Is(err, psc.ErrRejected) || !strings.Contains(err.Error(), "without acr") {
		t.Errorf("eidas2 asked, no acr: %v", err)
	}
}

// No server goroutine waits for a professional: a poll is one call.
func TestCIBAPollIsOneCall(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	ctx := context.Background()
	start, err := r.client.StartCIBA(ctx, psc.CIBARequest{IDNat: virginie, BindingMessage: "90"})
	if err != nil {
		t.Fatal(err)
	}
	before := r.paths.count("/protocol/openid-connect/token")
	began := time.Now()
	if poll, err := r.client.PollCIBA(ctx, start.AuthReqID, time.Minute); err != nil || poll.Status != psc.CIBAPending || poll.Interval != time.Minute {
		t.Fatalf("%+v %v", poll, err)
	}
	if n := r.paths.count("/protocol/openid-connect/token") - before; n != 1 || time.Since(began) > 2*time.Second {
		t.Errorf("%d calls, %s", n, time.Since(began))
	}
	if ep, err := r.client.Discover(ctx); err != nil || ep.CIBA != r.issuer+"/protocol/openid-connect/ext/ciba/auth" {
		t.Errorf("CIBA endpoint %q %v", ep.CIBA, err)
	}
}
