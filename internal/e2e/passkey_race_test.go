package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// held is a request the browser keeps waiting, as a slow network would:
// before it leaves, or once its answer has come but before the page has
// it.
type held struct {
	id  fetch.RequestID
	url string
}

// hold makes the tab keep waiting every request matching one of the
// patterns, at the stage each names; the held requests arrive on the
// channel, and release lets one go on.
func (b *tab) hold(patterns ...*fetch.RequestPattern) <-chan held {
	b.t.Helper()
	paused := make(chan held, 16)
	b.step("hold requests", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		events := cdp.Events(b.ctx, t, fetch.RequestPaused) // subscribed now, read below
		go func() {
			for ev, err := range events {
				if err != nil {
					return
				}
				paused <- held{id: ev.RequestID, url: ev.Request.URL}
			}
		}()
		_, err := cdp.Call(ctx, t, fetch.Enable, fetch.EnableParams{Patterns: patterns})
		return err
	}))
	return paused
}

func (b *tab) release(r held) {
	b.t.Helper()
	b.step("let "+r.url+" go on", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: r.id})
		return err
	}))
}

// holdNoMore lets every request go as it comes again.
func (b *tab) holdNoMore() {
	b.t.Helper()
	b.step("hold no more", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, fetch.Disable, cdp.Empty{})
		return err
	}))
}

// next is the next held request, within wait; ok is false if none came.
func next(paused <-chan held, wait time.Duration) (r held, ok bool) {
	select {
	case r = <-paused:
		return r, true
	case <-time.After(wait):
		return held{}, false
	}
}

// A password sent while the login page's autofill is still waiting for
// its passkey options, whose answer starts the session the page's CSRF
// tokens are bound to: the password waits for that answer, then signs in.
// Sent at once, as before, it raced the answer: an answer that came first
// left the form's token unbound to the new session (403, "form expired"),
// one that came between the sign-in and its next page put the anonymous
// session back in the browser (the sign-in page again).
func TestPasswordSentWhileThePasskeyOptionsAreOnTheirWay(t *testing.T) {
	h := passkeyPortal(t, nil)
	b := h.newTab(frenchBrowser)
	b.withAuthenticator()
	paused := b.hold(
		&fetch.RequestPattern{URLPattern: "*/auth/passkey/options", RequestStage: fetch.RequestStageResponse},
		&fetch.RequestPattern{URLPattern: "*/login", RequestStage: fetch.RequestStageRequest},
	)
	b.open("/")
	options, ok := next(paused, stepTimeout)
	if !ok || !strings.HasSuffix(options.url, "/auth/passkey/options") {
		b.fatalf("the login page's autofill asked for no passkey options (%q)", options.url)
	}
	b.fill("#login", virginieLogin)
	b.fill("#password", demoPassword)
	b.step("send the password", chromedp.Click(chromedp.CSS(testid("login-submit")), chromedp.NodeVisible))
	if early, ok := next(paused, time.Second); ok {
		b.fatalf("the password left (%s) before the passkey options' answer had come", early.url)
	}
	b.release(options)
	login, ok := next(paused, stepTimeout)
	if !ok {
		b.fatalf("the password was not sent once the passkey options had come")
	}
	b.release(login)
	b.holdNoMore()
	b.waitAt("/identification")
	b.expectExactly(testid("professional"), virginieHeader)
	b.open("/identification")
	b.expectAt("/identification")
}

// Passkey options that never come (the portal slow to answer them) keep
// the password waiting a few seconds only: the script then abandons them,
// so that no late answer can land, and the password signs in.
func TestPasswordSentWhileThePasskeyOptionsNeverCome(t *testing.T) {
	h := passkeyPortal(t, nil)
	b := h.newTab(frenchBrowser)
	b.withAuthenticator()
	paused := b.hold(&fetch.RequestPattern{URLPattern: "*/auth/passkey/options", RequestStage: fetch.RequestStageRequest})
	b.open("/")
	if _, ok := next(paused, stepTimeout); !ok {
		b.fatalf("the login page's autofill asked for no passkey options")
	}
	b.fill("#login", virginieLogin)
	b.fill("#password", demoPassword)
	b.step("send the password", chromedp.Click(chromedp.CSS(testid("login-submit")), chromedp.NodeVisible))
	b.waitAt("/identification")
	b.expectExactly(testid("professional"), virginieHeader)
}
