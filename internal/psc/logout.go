package psc

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/url"
	"time"
)

// LogoutURL is the provider's end-session URL for RP-initiated logout:
// the ID token as hint, the registered post-logout redirect URL and state.
func (c *Client) LogoutURL(ctx context.Context, rawIDToken, state string) (string, error) {
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	ep, err := c.discover(ctx)
	if err != nil {
		return "", err
	}
	if ep.endSession == "" {
		return "", fmt.Errorf("%w: the provider has no end-session endpoint", ErrUnavailable)
	}
	u, err := url.Parse(ep.endSession)
	if err != nil {
		return "", fmt.Errorf("%w: malformed end-session endpoint", ErrUnavailable)
	}
	q := u.Query()
	if rawIDToken != "" {
		q.Set("id_token_hint", rawIDToken)
	}
	q.Set("client_id", c.cfg.ClientID)
	if c.cfg.PostLogoutRedirectURL != "" {
		q.Set("post_logout_redirect_uri", c.cfg.PostLogoutRedirectURL)
		if state != "" {
			q.Set("state", state)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// LogoutToken is a verified back-channel logout token: the provider
// session (sid) or the professional (sub) whose local sessions must end,
// and what makes it act once: its issuer and jti, remembered until its
// expiry, and its iat, after which sessions begun are not its to end.
type LogoutToken struct {
	SID, Subject     string
	Issuer, JTI      string
	IssuedAt, Expiry time.Time
}

const backchannelEvent = "http://schemas.openid.net/event/backchannel-logout"

// VerifyLogoutToken checks a back-channel logout token (OpenID Connect
// Back-Channel Logout 1.0, 2.6) with go-oidc: RS256 signature by a key of
// the provider, iss, aud, exp, jti, the back-channel event, no nonce, a
// sid or a sub; and here: iat present, the event's value a JSON object.
// Replays are the caller's to refuse (by jti, across instances).
func (c *Client) VerifyLogoutToken(ctx context.Context, raw string) (LogoutToken, error) {
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	ep, err := c.discover(ctx)
	if err != nil {
		return LogoutToken{}, err
	}
	vctx, note := noting(ctx)
	lt, err := ep.verifier.VerifyLogout(vctx, raw)
	if err != nil {
		return LogoutToken{}, verificationError("logout token", note, err)
	}
	var claims struct {
		Iat    *float64                   `json:"iat"`
		Events map[string]json.RawMessage `json:"events"`
	}
	if err := lt.Claims(&claims); err != nil {
		return LogoutToken{}, fmt.Errorf("%w: logout token claims: %v", ErrRejected, err)
	}
	if claims.Iat == nil {
		return LogoutToken{}, fmt.Errorf("%w: logout token without iat", ErrRejected)
	}
	var event map[string]any
	if json.Unmarshal(claims.Events[backchannelEvent], &event) != nil || event == nil {
		return LogoutToken{}, fmt.Errorf("%w: logout token event is not a JSON object", ErrRejected)
	}
	return LogoutToken{
		SID: lt.SessionID, Subject: lt.Subject,
		Issuer: lt.Issuer, JTI: lt.TokenID, IssuedAt: lt.IssuedAt, Expiry: lt.Expiry,
	}, nil
}

// LogoutReturnWindow is how long after a browser left for PSC's logout a
// return without state is still taken as that logout's.
const LogoutReturnWindow = 10 * time.Minute

// CheckLogoutReturn checks the browser's return from PSC's end-session
// endpoint against the logout this browser started (pendingState, kept
// in its session with startedAt). A state that comes back must be the one
// sent. PSC may drop it (ANS's connector has ignoreAbsentStateParameterLogout
// for that); InfoPatient's rule, safer than a global switch: a return
// without state is accepted only when this very browser has a logout
// pending, started less than LogoutReturnWindow ago — so a forged link
// can at most show a signed-out browser its own "signed out" page.
// withoutState reports that case, for the log. No pending logout, or a
// wrong state, is ErrRejected.
func CheckLogoutReturn(q url.Values, pendingState string, startedAt, now time.Time) (withoutState bool, err error) {
	if pendingState == "" {
		return false, fmt.Errorf("%w: no logout is pending in this browser", ErrRejected)
	}
	got := q.Get("state")
	switch {
	case got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(pendingState)) != 1:
		return false, fmt.Errorf("%w: the logout's state does not match", ErrRejected)
	case got != "":
		return false, nil
	case startedAt.IsZero() || now.Before(startedAt) || now.Sub(startedAt) > LogoutReturnWindow:
		return false, fmt.Errorf("%w: a return without state, and no recent logout in this browser", ErrRejected)
	}
	return true, nil
}
