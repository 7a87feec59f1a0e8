// Package covercard asks Covercard (OFAC, reached through HIN) who holds a
// Swiss health insurance card and how the holder is insured, and models
// the answer. It also reads card numbers as typed or scanned.
//
// Like psc and hin, it imports no other package of InfoPatient, so that
// it can be copied into another program as it is: its token source is an
// interface (TokenSource), which hin's tokens satisfy.
package covercard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Lookup errors. Messages never contain the card number or the token.
var (
	// ErrUnavailable: Covercard could not be reached or answered with a
	// server error (network, timeout, 5xx, 429, unexpected status).
	ErrUnavailable = errors.New("covercard: service unavailable")
	// ErrUnauthorized: the access token was refused again after one
	// refresh, or could not be refreshed: the user must sign in with HIN.
	ErrUnauthorized = errors.New("covercard: access token refused")
	// ErrForbidden: the HIN identity is not allowed to use Covercard.
	ErrForbidden = errors.New("covercard: HIN identity lacks permission")
	// ErrMalformed: the answer is not a Covercard document (bad XML,
	// unexpected shape, unknown encoding, too large).
	ErrMalformed = errors.New("covercard: malformed response")
)

// StatusError records the HTTP status behind ErrUnavailable, ErrForbidden
// or ErrUnauthorized, for logs. Test the category with errors.Is.
type StatusError struct {
	StatusCode int
	Err        error
}

func (e *StatusError) Error() string {
	return e.Err.Error() + " (HTTP " + strconv.Itoa(e.StatusCode) + ")"
}

func (e *StatusError) Unwrap() error { return e.Err }

// TokenSource hands out HIN access tokens for Covercard. Refresh is
// called once when Covercard refuses a token (401), with the refused
// token, so that a source shared by concurrent requests can tell whether
// another request already replaced it.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
	Refresh(ctx context.Context, rejected string) (string, error)
}

// DefaultURL is Covercard's servlet behind HIN's OAuth2 gateway.
const DefaultURL = "https://oauth2.covercard.hin.ch/covercard/servlet/ch.ofac.ca.covercard.CaValidationHorizontale"

// Covercard's langue parameter. Only LangueGerman is established: every
// known client (Elexis, a Ruby client) sends 1 and reads German texts.
// No source numbers the other languages. Checked against HIN's French
// OAuth2 guide (the reference's seed 003): its Covercard example, in the
// French text, sends langue=3. That contradicts the guess 2 = French,
// 3 = Italian unless the example was copied from another language's
// guide; either way 2 and 3 stay unverified and are sent as configured.
// Ask OFAC (admin@covercard.ch) before relying on them.
const (
	LangueGerman = "1"
	// LangueHINFrenchGuide is the value HIN's French guide sends.
	LangueHINFrenchGuide = "3"
)

// Config tunes a Client; zero fields take the defaults.
type Config struct {
	// URL is the full servlet URL; DefaultURL when empty.
	URL string
	// Langue selects the language of the answer's texts; LangueGerman by
	// default. It is sent as configured: see LangueGerman for what is
	// known of the other values.
	Langue string
	// Timeout bounds each HTTP exchange, body included; 10 s by default.
	Timeout time.Duration
	// MaxResponseBytes bounds the answer; 1 MiB by default.
	MaxResponseBytes int64
	// Now gives today's date to judge card expiry; time.Now by default.
	Now func() time.Time
}

// Client calls Covercard. It is safe for concurrent use.
type Client struct {
	url      string   // as configured, DefaultURL when none was
	endpoint *url.URL // nil when url is invalid
	langue   string
	timeout  time.Duration
	maxBytes int64
	now      func() time.Time
	http     *http.Client
}

// New returns a client. base carries the transport (proxy, TLS settings)
// and may be nil for http.DefaultClient; it is not modified. An invalid
// URL in cfg is reported by every Lookup as ErrUnavailable, so that a
// misconfiguration shows up where it matters; validate configuration
// before calling New.
func New(cfg Config, base *http.Client) *Client {
	c := &Client{
		langue:   cfg.Langue,
		timeout:  cfg.Timeout,
		maxBytes: cfg.MaxResponseBytes,
		now:      cfg.Now,
		http:     base,
	}
	raw := cfg.URL
	if raw == "" {
		raw = DefaultURL
	}
	c.url = raw
	if u, err := url.Parse(raw); err == nil && u.IsAbs() {
		c.endpoint = u
	}
	if c.langue == "" {
		c.langue = LangueGerman
	}
	if c.timeout <= 0 {
		c.timeout = 10 * time.Second
	}
	if c.maxBytes <= 0 {
		c.maxBytes = 1 << 20
	}
	if c.now == nil {
		c.now = time.Now
	}
	// A redirect is never followed: it would carry the bearer token
	// elsewhere, and an answer from elsewhere is not Covercard's.
	hc := http.Client{}
	if c.http != nil {
		hc = *c.http
	}
	hc.CheckRedirect = refuseRedirect
	c.http = &hc
	return c
}

// URL is the servlet's URL.
func (c *Client) URL() string { return c.url }

// Lookup asks Covercard about card, a number from ParseCardNumber. When
// Covercard refuses the token (401), or the source has none, the token is
// refreshed once and the request retried once. Errors from tokens are
// returned wrapped, so that callers can test them with errors.Is.
func (c *Client) Lookup(ctx context.Context, card string, tokens TokenSource) (*Result, error) {
	if c.endpoint == nil {
		return nil, fmt.Errorf("%w: invalid Covercard URL in configuration", ErrUnavailable)
	}
	token, err := tokens.Token(ctx)
	if err != nil {
		return nil, fmt.Errorf("covercard: getting an access token: %w", err)
	}
	var res *Result
	if token != "" {
		res, err = c.exchange(ctx, card, token)
	}
	if token == "" || errors.Is(err, errTokenRefused) {
		if token, err = tokens.Refresh(ctx, token); err != nil {
			return nil, fmt.Errorf("%w: refreshing: %w", ErrUnauthorized, err)
		}
		if token == "" {
			return nil, fmt.Errorf("%w: no access token after refresh", ErrUnauthorized)
		}
		res, err = c.exchange(ctx, card, token)
		if errors.Is(err, errTokenRefused) {
			return nil, &StatusError{StatusCode: http.StatusUnauthorized, Err: ErrUnauthorized}
		}
	}
	if err != nil {
		return nil, err
	}
	if !answersCard(res, card) {
		return nil, fmt.Errorf("%w: the answer is about another card", ErrMalformed)
	}
	return res, nil
}

// errTokenRefused marks a 401, which Lookup answers with one refresh.
var errTokenRefused = errors.New("covercard: token refused")

// exchange performs one request and decodes the answer.
func (c *Client) exchange(ctx context.Context, card, token string) (*Result, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.requestURL(card), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: building the request", ErrUnavailable)
	}
	// The token goes in a header only: it may hold '#' or '+', and URLs
	// end up in logs.
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/xml, text/xml")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, withoutURL(err))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
	case resp.StatusCode == http.StatusUnauthorized:
		drain(resp.Body)
		return nil, errTokenRefused
	case resp.StatusCode == http.StatusForbidden:
		drain(resp.Body)
		return nil, &StatusError{StatusCode: resp.StatusCode, Err: ErrForbidden}
	default:
		drain(resp.Body)
		return nil, &StatusError{StatusCode: resp.StatusCode, Err: ErrUnavailable}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the answer: %w", ErrUnavailable, withoutURL(err))
	}
	if int64(len(body)) > c.maxBytes {
		return nil, fmt.Errorf("%w: answer larger than %d bytes", ErrMalformed, c.maxBytes)
	}
	return DecodeAt(bytes.NewReader(body), resp.Header.Get("Content-Type"), c.now())
}

// answersCard reports whether an answer may be shown for card: one about
// another card would disclose a stranger's insurance data. Only a
// 20-digit cardNoVeka is compared; an absent one is trusted.
func answersCard(res *Result, card string) bool {
	n := res.CardNumber
	return len(n) != cardDigits || !allDigits(n) || n == card
}

func (c *Client) requestURL(card string) string {
	u := *c.endpoint
	q := u.Query()
	q.Set("type", "XML")
	q.Set("langue", c.langue)
	q.Set("carte", card)
	q.Set("ReturnType", "42a")
	u.RawQuery = q.Encode()
	return u.String()
}

// withoutURL drops the request URL from a transport error: it carries the
// card number, which identifies a patient.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// drain reads a little of an unwanted body so the connection can be reused.
func drain(body io.Reader) { _, _ = io.Copy(io.Discard, io.LimitReader(body, 4<<10)) }

// errRedirect refuses every redirect: the client never follows one, for it
// would re-send credentials (a bearer token, a re-posted client_secret) to
// whoever the answer names. The call fails as unavailable.
var errRedirect = errors.New("covercard: the service answered with a redirect, which is not followed")

func refuseRedirect(*http.Request, []*http.Request) error { return errRedirect }
