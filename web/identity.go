package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// Session keys of an authority sign-in. What a Pro Santé Connect sign-in
// said — its ID token and claims — is not kept in the session, which every
// request decodes, but with the record of its provider session (see
// recordPSCSession), read by the logout and "Mes informations" only.
const (
	keyHINID      = "hin_id"
	keyLink       = "pending_link" // an identity waiting to be linked
	keyLogout     = "logout_state" // state of an RP-initiated logout
	keyLogoutDone = "logout_done"  // the local page it lands on
)

// linkTimeout bounds how long an identity may wait for its account.
const linkTimeout = 10 * time.Minute

// Session keys where sessions signed in before migration 0002 keep the ID
// token and the claims. A sign-in clears them; the logout still reads the
// ID token there. Both can go once every such session has ended (one
// session lifetime after the upgrade).
const (
	legacyKeyPSCIDToken = "psc_id_token"
	legacyKeyPSCProfile = "psc_profile"
)

// verifiedIdentity is a professional an authority just vouched for. (The
// JSON names are those of links already waiting in sessions.)
type verifiedIdentity struct {
	Authority string `json:"authority"`
	// LinkSubject is what the identity is linked to an account by: the
	// idNat (PSC) or the hin_id (HIN).
	LinkSubject string `json:"subject"`
	DisplayName string `json:"name"`
	Identifier  string `json:"identifier"`
	ReturnTo    string `json:"return"`

	// Pro Santé Connect: the ID token (the hint of its logout), and the
	// session and OpenID subject its back-channel logout names.
	IDToken string      `json:"id_token,omitempty"`
	SID     string      `json:"sid,omitempty"`
	PSCSub  string      `json:"sub,omitempty"`
	Profile *pscProfile `json:"profile,omitempty"`
	// HIN: the user's tokens, sealed while they wait in the session.
	SealedToken []byte `json:"sealed_token,omitempty"`
	// Expires (unix seconds) bounds a pending link.
	Expires int64 `json:"expires,omitempty"`
}

// who is how the linking page names the identity: "ISABELLE INFIRMIERE —
// RPPS 99700218912", or "HIN aakeret" when the authority gives no name.
func (id verifiedIdentity) who() string {
	if id.DisplayName == "" {
		return id.Identifier
	}
	return id.DisplayName + " — " + id.Identifier
}

// pscProfile is what "Mes informations" shows of a PSC sign-in.
type pscProfile struct {
	Professional views.ProfessionalView `json:"professional"`
	Claims       []views.Claim          `json:"claims"`
}

// signInWith completes an authority sign-in: straight in when the identity
// is linked to an account, otherwise through the linking page.
func (s *Server) signInWith(c echo.Context, id verifiedIdentity, tok *hin.Token) error {
	ctx := c.Request().Context()
	acct, err := s.Identities.AccountByIdentity(ctx, id.Authority, id.LinkSubject)
	if errors.Is(err, store.ErrNotFound) {
		return s.askToLink(c, id, tok)
	}
	if err != nil {
		return err
	}
	return s.finishSignIn(c, acct, id, tok)
}

func (s *Server) finishSignIn(c echo.Context, acct store.Account, id verifiedIdentity, tok *hin.Token) error {
	ctx := c.Request().Context()
	who := signedIn{AccountID: acct.ID, DisplayName: id.DisplayName, Identifier: id.Identifier, Method: id.Authority}
	if who.DisplayName == "" {
		who.DisplayName = displayName(acct)
	}
	if err := s.signIn(ctx, who); err != nil {
		return err
	}
	// A shared computer: what a previous professional's sign-in left in
	// this browser's session is not the new one's.
	// (The record of its provider session went with its session token.)
	for _, key := range []string{legacyKeyPSCIDToken, legacyKeyPSCProfile, keyHINID} {
		s.Sessions.Remove(ctx, key)
	}
	switch id.Authority {
	case authorityPSC:
		if err := s.recordPSCSession(ctx, id); err != nil {
			return err
		}
	case authorityHIN:
		s.Sessions.Put(ctx, keyHINID, id.LinkSubject)
		if tok != nil {
			if err := s.HINTokens.Save(ctx, acct.ID, tok); err != nil {
				return err
			}
		}
	}
	s.Logger.InfoContext(ctx, "signed in", slog.String("method", id.Authority), slog.Int64("account", acct.ID))
	s.countSignIn(id.Authority, outcomeSuccess)
	return c.Redirect(http.StatusSeeOther, safeReturn(id.ReturnTo))
}

// recordPSCSession records the provider session a PSC sign-in belongs to
// (for its back-channel logout), with what the logout and "Mes
// informations" need of the sign-in: the ID token, sealed, and the
// profile. The record is keyed by the session's token, which signIn has
// just renewed: the token the browser keeps from now on.
func (s *Server) recordPSCSession(ctx context.Context, id verifiedIdentity) error {
	rec := store.ProviderSession{
		Provider: authorityPSC, SID: id.SID, Subject: id.PSCSub,
		SessionToken: s.Sessions.Token(ctx), ExpiresAt: s.Now().Add(s.Config.SessionLifetime),
	}
	if id.IDToken != "" {
		sealed, err := s.Box.Seal([]byte(id.IDToken), idTokenAAD(rec.SessionToken))
		if err != nil {
			return err
		}
		rec.IDToken = sealed
	}
	if id.Profile != nil {
		b, err := json.Marshal(id.Profile)
		if err != nil {
			return err
		}
		rec.Claims = string(b)
	}
	return s.ProviderSessions.RecordProviderSession(ctx, rec)
}

// idTokenAAD binds a sealed ID token to its session: it opens for that
// session's record only.
func idTokenAAD(sessionToken string) []byte {
	return []byte("psc_id_token:" + sessionToken)
}

// pscRecord reads the record of this session's PSC sign-in. A record that
// is gone — ended by a logout, or past its lifetime — is no error: ok is
// false.
func (s *Server) pscRecord(ctx context.Context) (rec store.ProviderSession, ok bool, err error) {
	token := s.Sessions.Token(ctx)
	if token == "" {
		return rec, false, nil
	}
	rec, err = s.ProviderSessions.ProviderSession(ctx, token, s.Now())
	if errors.Is(err, store.ErrNotFound) {
		return rec, false, nil
	}
	return rec, err == nil, err
}

// pscIDToken is the ID token this session's PSC sign-in recorded, opened
// ("" when none), for the hint of its logout.
func (s *Server) pscIDToken(ctx context.Context) (string, error) {
	rec, ok, err := s.pscRecord(ctx)
	if !ok || len(rec.IDToken) == 0 {
		return "", err
	}
	b, err := s.Box.Open(rec.IDToken, idTokenAAD(rec.SessionToken))
	if err != nil {
		// A key no longer configured, say: the logout goes without its
		// hint. The error names no token.
		s.Logger.WarnContext(ctx, "pro santé connect id token unreadable", slog.Any("err", err))
		return "", nil
	}
	return string(b), nil
}

// pscSessionProfile is the profile this session's PSC sign-in recorded
// (nil when none), for "Mes informations".
func (s *Server) pscSessionProfile(ctx context.Context) (*pscProfile, error) {
	rec, ok, err := s.pscRecord(ctx)
	if !ok || rec.Claims == "" {
		return nil, err
	}
	var p pscProfile
	if json.Unmarshal([]byte(rec.Claims), &p) != nil {
		return nil, nil
	}
	return &p, nil
}

// askToLink parks the identity in the session and shows the linking page.
func (s *Server) askToLink(c echo.Context, id verifiedIdentity, tok *hin.Token) error {
	ctx := c.Request().Context()
	if tok != nil {
		b, err := json.Marshal(tok)
		if err != nil {
			return err
		}
		if id.SealedToken, err = s.Box.Seal(b, []byte(keyLink)); err != nil {
			return err
		}
	}
	id.Expires = s.Now().Add(linkTimeout).Unix()
	b, err := json.Marshal(id)
	if err != nil {
		return err
	}
	// A new token: the session now carries a verified identity.
	if err := s.renewToken(ctx); err != nil {
		return err
	}
	s.Sessions.Put(ctx, keyLink, string(b))
	s.Logger.InfoContext(ctx, "identity not linked yet", slog.String("method", id.Authority))
	s.countSignIn(id.Authority, outcomeUnlinked)
	return c.Redirect(http.StatusSeeOther, "/auth/link")
}

// pendingLink returns the identity waiting to be linked, if still valid.
func (s *Server) pendingLink(ctx context.Context) (verifiedIdentity, bool) {
	var id verifiedIdentity
	raw := s.Sessions.GetString(ctx, keyLink)
	if raw == "" || json.Unmarshal([]byte(raw), &id) != nil || s.Now().Unix() > id.Expires {
		return id, false
	}
	return id, true
}

// linkPage asks the professional to prove their local account once.
func (s *Server) linkPage(c echo.Context) error {
	id, ok := s.pendingLink(c.Request().Context())
	if !ok {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	noStore(c)
	return s.render(c, http.StatusOK, views.LinkPage(views.LinkForm{Authority: id.Authority, Who: id.who()}))
}

// link checks the local credentials and links the identity to the account.
func (s *Server) link(c echo.Context) error {
	ctx := c.Request().Context()
	id, ok := s.pendingLink(ctx)
	if !ok {
		return &pageError{view: views.ErrorView{Status: http.StatusBadRequest, Title: "auth.state.title", Message: "link.expired"}}
	}
	cred, err := s.checkCredentials(c, id.Authority, "link.failed")
	if err != nil {
		return err
	}
	f := views.LinkForm{Authority: id.Authority, Who: id.who(), Login: cred.login}
	if cred.refused != "" {
		f.Error = cred.refused
		return s.render(c, cred.status, views.LinkPage(f))
	}
	acct := cred.account
	if refused, err := s.linkRefusal(ctx, id.Authority, id.LinkSubject, acct); err != nil {
		return err
	} else if refused != "" {
		s.Logger.WarnContext(ctx, "identity link refused", slog.String("method", id.Authority), slog.String("why", refused), slog.Int64("account", acct.ID))
		f.Error = refused
		return s.render(c, http.StatusForbidden, views.LinkPage(f))
	}
	if err := s.Identities.LinkIdentity(ctx, id.Authority, id.LinkSubject, acct.ID); errors.Is(err, store.ErrConflict) {
		f.Error = "link.taken"
		return s.render(c, http.StatusConflict, views.LinkPage(f))
	} else if err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "identity linked", slog.String("method", id.Authority), slog.Int64("account", acct.ID))
	tok, err := s.unsealLinkToken(id)
	if err != nil {
		return err
	}
	s.Sessions.Remove(ctx, keyLink)
	// The identification page confirms the link, once.
	s.Sessions.Put(ctx, keyFlash, "link.done."+id.Authority)
	return s.finishSignIn(c, acct, id, tok)
}

func (s *Server) unsealLinkToken(id verifiedIdentity) (*hin.Token, error) {
	if len(id.SealedToken) == 0 {
		return nil, nil
	}
	b, err := s.Box.Open(id.SealedToken, []byte(keyLink))
	if err != nil {
		return nil, fmt.Errorf("pending HIN token: %w", err)
	}
	var tok hin.Token
	return &tok, json.Unmarshal(b, &tok)
}

// cancelLink forgets the identity waiting to be linked. A Pro Santé
// Connect identity leaves the professional signed in at PSC: that session
// is ended too, as a logout would, before landing on the login page.
func (s *Server) cancelLink(c echo.Context) error {
	ctx := c.Request().Context()
	var id verifiedIdentity
	if raw := s.Sessions.PopString(ctx, keyLink); raw != "" && json.Unmarshal([]byte(raw), &id) == nil &&
		id.Authority == authorityPSC && id.IDToken != "" {
		s.Logger.InfoContext(ctx, "identity link cancelled", slog.String("method", id.Authority))
		return s.endAtPSC(c, id.IDToken, "/")
	}
	return c.Redirect(http.StatusSeeOther, "/")
}
