package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// maxBody bounds what is read of one answer.
const maxBody = 4 << 20

// browser is one simulated professional's browser. Requests to the portal
// go to the instances in turn, as a load balancer would hand them out;
// requests to other hosts (the sandbox's pages) go where they point.
type browser struct {
	opts   *options
	client *http.Client
	rec    *recorder
	site   map[string]bool // hosts (host:port) that are the portal
	next   int             // instance of the next portal request
	jar    *cookiejar.Jar
	login  string // this professional's local account
}

// newBrowser is worker n's browser: its first portal request goes to
// instance n (modulo), and it signs in locally as the n-th account.
func newBrowser(opts *options, transport http.RoundTripper, rec *recorder, n int) *browser {
	site := map[string]bool{opts.public.Host: true}
	for _, b := range opts.bases {
		site[b.Host] = true
	}
	return &browser{
		opts: opts, rec: rec, site: site, next: n,
		login: opts.journey.logins[n%len(opts.journey.logins)],
		client: &http.Client{
			Transport: transport,
			Timeout:   opts.timeout,
			// Every redirect is a step of its own, timed and routed.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// reset forgets the cookies: the next journey is a new browser.
func (b *browser) reset() {
	b.jar, _ = cookiejar.New(nil) // never fails without options
}

// portal is path on the portal's public URL.
func (b *browser) portal(path string) *url.URL {
	return b.opts.public.ResolveReference(&url.URL{Path: path})
}

// answer is what one step read.
type answer struct {
	status   int
	location *url.URL          // resolved against the request URL
	doc      *goquery.Document // HTML pages only
}

// stepError is a failed step. Its message names the step and the status,
// never a URL: callback URLs carry codes and states.
type stepError struct {
	step string
	why  string
}

func (e *stepError) Error() string { return e.step + ": " + e.why }

// get and post send one request, timed under step.
func (b *browser) get(ctx context.Context, step string, target *url.URL) (*answer, error) {
	return b.do(ctx, step, http.MethodGet, target, nil)
}

func (b *browser) post(ctx context.Context, step string, target *url.URL, form url.Values) (*answer, error) {
	return b.do(ctx, step, http.MethodPost, target, form)
}

func (b *browser) do(ctx context.Context, step, method string, target *url.URL, form url.Values) (*answer, error) {
	sent, cookieURL, instance, err := b.route(target)
	if err != nil {
		return nil, b.rec.fail(step, &stepError{step, err.Error()})
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, sent.String(), body)
	if err != nil {
		return nil, b.rec.fail(step, &stepError{step, "bad request"})
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range b.jar.Cookies(cookieURL) {
		req.AddCookie(c)
	}
	start := time.Now()
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, b.rec.fail(step, &stepError{step, transportError(err)})
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	took := time.Since(start)
	if err != nil {
		return nil, b.rec.fail(step, &stepError{step, "reading the answer: " + transportError(err)})
	}
	b.rec.took(step, instance, took)
	b.jar.SetCookies(cookieURL, resp.Cookies())

	a := &answer{status: resp.StatusCode}
	if loc := resp.Header.Get("Location"); loc != "" {
		ref, err := url.Parse(loc)
		if err != nil {
			return nil, b.rec.fail(step, &stepError{step, "unreadable Location"})
		}
		a.location = target.ResolveReference(ref)
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if a.doc, err = goquery.NewDocumentFromReader(strings.NewReader(string(raw))); err != nil {
			return nil, b.rec.fail(step, &stepError{step, "unreadable page"})
		}
	}
	return a, nil
}

// sandboxPath is where a demo instance mounts its own simulators: their
// state is that instance's, so requests there go where they point.
const sandboxPath = "/sandbox/"

// route decides where a request goes: a portal URL to the next instance
// (its cookies kept under the public URL, as one site), any other URL as
// is, if it is on loopback. instance is -1 outside the portal.
func (b *browser) route(target *url.URL) (sent, cookieURL *url.URL, instance int, err error) {
	portal := b.site[target.Host] && target.Scheme == b.opts.public.Scheme && !strings.HasPrefix(target.Path, sandboxPath)
	if portal {
		instance = b.next % len(b.opts.bases)
		b.next++
		u := *target
		u.Scheme, u.Host = b.opts.bases[instance].Scheme, b.opts.bases[instance].Host
		pub := *target
		pub.Scheme, pub.Host = b.opts.public.Scheme, b.opts.public.Host
		return &u, &pub, instance, nil
	}
	if err := checkLoopback(target); err != nil {
		return nil, nil, -1, fmt.Errorf("redirected to %w", err)
	}
	return target, target, -1, nil
}

// transportError describes a failed exchange without its URL.
func transportError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// newTransport is shared by every worker. It ignores proxy settings and
// dials loopback addresses only, whatever a host name resolved to.
func newTransport(workers int) *http.Transport {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: loopbackOnly}
	return &http.Transport{
		Proxy:               nil,
		DialContext:         dialer.DialContext,
		MaxIdleConns:        4 * workers,
		MaxIdleConnsPerHost: 2 * workers,
		IdleConnTimeout:     30 * time.Second,
	}
}

// loopbackOnly refuses, at connect time, any address that is not loopback.
func loopbackOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Unmap().IsLoopback() {
		return fmt.Errorf("dial %s: %w", address, errNotLoopback)
	}
	return nil
}
