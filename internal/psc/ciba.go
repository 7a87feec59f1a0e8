package psc

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Decoupled sign-in (OpenID Connect CIBA, poll mode), as PSC has it
// (authorities-today §1.7): the portal names the professional by idNat,
// shows a two-digit binding message, and PSC pushes the request to the
// professional's e-CPS app (channel MOBILE) or card reader (CARD). The
// portal then polls the token endpoint; each poll is one HTTP call that
// the caller schedules (a refreshing page, a small script), so no server
// goroutine waits for a professional.

// CIBAGrant is the token endpoint's grant type for a decoupled sign-in.
const CIBAGrant = "urn:openid:params:grant-type:ciba"

// Channels PSC pushes a decoupled sign-in to.
const (
	ChannelMobile = "MOBILE" // the e-CPS app
	ChannelCard   = "CARD"   // the CPS card
)

// idNatShape bounds what is sent as login_hint: PSC's national
// identifiers are digits and letters (8+RPPS, 0+ADELI, sandbox EDIT ids).
var idNatShape = regexp.MustCompile(`^[0-9A-Za-z]{6,20}$`)

// CIBARequest is what a decoupled sign-in asks for.
type CIBARequest struct {
	IDNat string // the professional's national identifier (login_hint)
	// BindingMessage is shown to the professional by the portal and by
	// the e-CPS app; two digits (NewBindingMessage), as PSC expects.
	BindingMessage string
	Channel        string // ChannelMobile (default) or ChannelCard
}

// CIBAStart is PSC's answer to a decoupled sign-in request. AuthReqID is
// a secret of the waiting browser's: keep it server-side (or sealed),
// never log it.
type CIBAStart struct {
	AuthReqID string
	Expires   time.Time
	Interval  time.Duration // the least time between two polls
}

// NewBindingMessage returns two random digits.
func NewBindingMessage() string {
	n, err := rand.Int(rand.Reader, big.NewInt(100))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return fmt.Sprintf("%02d", n.Int64())
}

// ErrUnknownProfessional: PSC knows no professional by that idNat.
var ErrUnknownProfessional = errors.New("psc: no professional with this identifier")

// StartCIBA asks PSC to push a sign-in request to the professional
// (scope openid scope_all, acr_values as configured, the client
// authenticated as at the token endpoint, its certificate included).
func (c *Client) StartCIBA(ctx context.Context, req CIBARequest) (CIBAStart, error) {
	if req.Channel == "" {
		req.Channel = ChannelMobile
	}
	switch {
	case !idNatShape.MatchString(req.IDNat):
		return CIBAStart{}, fmt.Errorf("%w: the identifier is not a PSC idNat", ErrUnknownProfessional)
	case !bindingShape.MatchString(req.BindingMessage):
		return CIBAStart{}, errors.New("psc: the binding message must be two digits")
	case req.Channel != ChannelMobile && req.Channel != ChannelCard:
		return CIBAStart{}, fmt.Errorf("psc: unknown channel %q", req.Channel)
	}
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	ep, err := c.discover(ctx)
	if err != nil {
		return CIBAStart{}, err
	}
	form := url.Values{
		"scope": {strings.Join(c.cfg.Scopes, " ")}, "login_hint": {req.IDNat},
		"binding_message": {req.BindingMessage}, "channel": {req.Channel}, "acr_values": {c.cfg.ACRValues},
	}
	status, body, err := c.postClientForm(ctx, ep.ciba, form)
	if err != nil {
		return CIBAStart{}, classify("backchannel authentication", err)
	}
	var answer struct {
		AuthReqID string  `json:"auth_req_id"`
		ExpiresIn float64 `json:"expires_in"`
		Interval  float64 `json:"interval"`
		Error     string  `json:"error"`
	}
	if json.Unmarshal(body, &answer) != nil {
		return CIBAStart{}, fmt.Errorf("%w: backchannel authentication: HTTP status %d, not JSON", ErrUnavailable, status)
	}
	switch {
	case status == http.StatusOK && answer.AuthReqID != "" && answer.ExpiresIn > 0:
	case answer.Error == "unknown_user_id":
		return CIBAStart{}, ErrUnknownProfessional
	case status >= 500 || status == http.StatusOK:
		return CIBAStart{}, fmt.Errorf("%w: backchannel authentication: HTTP status %d", ErrUnavailable, status)
	default:
		return CIBAStart{}, fmt.Errorf("%w: backchannel authentication: HTTP status %d, error %q", ErrRejected, status, clip(answer.Error))
	}
	interval := time.Duration(answer.Interval) * time.Second
	if interval < minCIBAInterval {
		interval = minCIBAInterval // CIBA Core 7.3: 5 s when the provider says nothing
	}
	return CIBAStart{AuthReqID: answer.AuthReqID, Interval: interval,
		Expires: c.cfg.Now().Add(time.Duration(answer.ExpiresIn) * time.Second)}, nil
}

// minCIBAInterval is CIBA's default interval between polls.
const minCIBAInterval = 5 * time.Second

var bindingShape = regexp.MustCompile(`^[0-9]{2}$`)

// CIBAStatus is where a decoupled sign-in stands after a poll.
type CIBAStatus int

// Poll outcomes.
const (
	CIBAPending  CIBAStatus = iota + 1 // not answered yet: poll again after Interval
	CIBASlowDown                       // polled too fast: poll again after the larger Interval
	CIBAApproved                       // Login is set
	CIBADenied                         // the professional refused
	CIBAExpired                        // no answer in time
)

// CIBAPoll is one poll's outcome.
type CIBAPoll struct {
	Status CIBAStatus
	// Interval is when to poll next (Pending, SlowDown).
	Interval time.Duration
	// Login is the verified sign-in (Approved): the same checks as the
	// redirect flow's (signature, iss, aud, azp, exp, iat, sub, acr), no
	// nonce (CIBA sends none), userinfo's sub the ID token's.
	Login *Login
}

// PollCIBA asks the token endpoint once for the outcome of a decoupled
// sign-in; interval is the one last known (CIBAStart.Interval or the
// previous poll's). Errors are ErrUnavailable (try the same poll again
// later) or ErrRejected (the request is void: start again).
func (c *Client) PollCIBA(ctx context.Context, authReqID string, interval time.Duration) (CIBAPoll, error) {
	if authReqID == "" {
		return CIBAPoll{}, fmt.Errorf("%w: no auth_req_id", ErrRejected)
	}
	interval = max(interval, minCIBAInterval)
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	ep, err := c.discover(ctx)
	if err != nil {
		return CIBAPoll{}, err
	}
	cc := clientcredentials.Config{
		ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, TokenURL: ep.oauth.Endpoint.TokenURL,
		AuthStyle: ep.oauth.Endpoint.AuthStyle,
		// x/oauth2 lets grant_type be replaced, for grants it lacks.
		EndpointParams: url.Values{"grant_type": {CIBAGrant}, "auth_req_id": {authReqID}},
	}
	tok, err := cc.Token(ctx)
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
		switch re.ErrorCode {
		case "authorization_pending":
			return CIBAPoll{Status: CIBAPending, Interval: interval}, nil
		case "slow_down":
			return CIBAPoll{Status: CIBASlowDown, Interval: interval + 5*time.Second}, nil // CIBA Core 11
		case "access_denied":
			return CIBAPoll{Status: CIBADenied}, nil
		case "expired_token":
			return CIBAPoll{Status: CIBAExpired}, nil
		}
	}
	if err != nil {
		return CIBAPoll{}, classify("token endpoint (CIBA)", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return CIBAPoll{}, fmt.Errorf("%w: the token answer has no id_token", ErrRejected)
	}
	claims, err := c.verifyIDToken(ctx, ep, raw, "")
	if err != nil {
		return CIBAPoll{}, err
	}
	info, err := c.userinfo(ctx, ep, tok.AccessToken)
	if err != nil {
		return CIBAPoll{}, err
	}
	login, err := c.login(raw, claims, info, tok)
	if err != nil {
		return CIBAPoll{}, err
	}
	return CIBAPoll{Status: CIBAApproved, Login: login}, nil
}

// postClientForm posts form to target with the client's authentication,
// as x/oauth2 does at the token endpoint (Basic with form-encoded id and
// secret, or both in the form, or client_id alone under
// tls_client_auth), and returns the status and body.
func (c *Client) postClientForm(ctx context.Context, target string, form url.Values) (int, []byte, error) {
	if target == "" {
		return 0, nil, fmt.Errorf("%w: the provider advertises no such endpoint", ErrUnavailable)
	}
	basic := c.cfg.AuthMethod == "basic" && c.cfg.ClientSecret != ""
	if !basic {
		form.Set("client_id", c.cfg.ClientID)
		if c.cfg.ClientSecret != "" {
			form.Set("client_secret", c.cfg.ClientSecret)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if basic {
		req.SetBasicAuth(url.QueryEscape(c.cfg.ClientID), url.QueryEscape(c.cfg.ClientSecret))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, scrubURL(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return 0, nil, scrubURL(err)
	}
	return resp.StatusCode, body, nil
}
