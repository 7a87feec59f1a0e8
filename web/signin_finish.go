package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/store"
)

// Authorities a sign-in can go to ("authority" is this package's one word
// for who vouches for a professional). Each pending sign-in remembers its
// authority, so that a code one authority issued is never taken at the
// other's callback (mix-up defence). authorityLocal is the portal itself:
// a local account's password.
const (
	authorityPSC   = "psc"
	authorityHIN   = "hin"
	authorityLocal = "local"
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
	// PSCTokens are the sign-in's access and refresh tokens, on their way
	// to the TokenKeeper; SealedPSCTokens holds them sealed while the
	// identity waits for its account (never in clear in the session).
	PSCTokens       *psc.Tokens `json:"-"`
	SealedPSCTokens []byte      `json:"sealed_psc_tokens,omitempty"`
	// HIN: the user's tokens, sealed while they wait in the session.
	SealedToken []byte `json:"sealed_token,omitempty"`
	// HINProfile is what HIN's directory said (or why it said nothing),
	// when it was asked (hin_directory.go).
	HINProfile *hinProfile `json:"hin_profile,omitempty"`
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

// signedIn is the professional a session belongs to.
type signedIn struct {
	AccountID   int64
	DisplayName string // "VIRGINIE MEDECIN"
	Identifier  string // "RPPS 99700218896", shown beside the name
	Authority   string // "local", "psc" or "hin"
}

// signInWith completes an authority sign-in: straight in when the identity
// is linked to an account, otherwise through the linking page.
func (s *Server) signInWith(c echo.Context, id verifiedIdentity, tok *hin.Token) error {
	ctx := c.Request().Context()
	acct, err := s.Identities.AccountByIdentity(ctx, id.Authority, id.LinkSubject)
	if errors.Is(err, store.ErrNotFound) {
		// A HIN identity whose directory GLN is an account's links itself.
		if acct, linked, err := s.linkByGLN(c, id); err != nil {
			return err
		} else if linked {
			return s.finishSignIn(c, acct, id, tok)
		}
		return s.askToLink(c, id, tok)
	}
	if err != nil {
		return err
	}
	return s.finishSignIn(c, acct, id, tok)
}

func (s *Server) finishSignIn(c echo.Context, acct store.Account, id verifiedIdentity, tok *hin.Token) error {
	ctx := c.Request().Context()
	who := signedIn{AccountID: acct.ID, DisplayName: id.DisplayName, Identifier: id.Identifier, Authority: id.Authority}
	if who.DisplayName == "" {
		who.DisplayName = displayName(acct)
	}
	if err := s.signIn(ctx, who); err != nil {
		return err
	}
	// A shared computer: what a previous professional's sign-in left in
	// this browser's session is not the new one's.
	// (The record of its PSC session went with its session token.)
	s.session(ctx).ForgetPreviousSignIn()
	switch id.Authority {
	case authorityPSC:
		if err := s.recordPSCSession(ctx, id); err != nil {
			return err
		}
		if err := s.keepPSCTokens(ctx, id); err != nil {
			return err
		}
	case authorityHIN:
		s.session(ctx).SetHINID(id.LinkSubject)
		if p := id.HINProfile; p != nil {
			if err := s.session(ctx).SetHINProfile(*p); err != nil {
				return err
			}
			if p.Problem != "" {
				// Signed in all the same; the next page says what is missing.
				s.session(ctx).SetWarning(p.Problem)
			}
		}
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

// signIn starts an authenticated session. The token is renewed first so
// that a session id planted before sign-in is worthless (fixation).
func (s *Server) signIn(ctx context.Context, who signedIn) error {
	if err := s.renewToken(ctx); err != nil {
		return err
	}
	w := s.session(ctx)
	if w.HasDraft() {
		// The anonymous session kept a typed number briefly; signed in,
		// it lives as long as any other.
		w.sm.SetDeadline(ctx, s.Now().Add(s.Sessions.Lifetime))
	}
	w.SetSignedIn(who, s.Now())
	return nil
}

// renewToken gives the session a new token; the old one's session is
// deleted from the store. The record of the Pro Santé Connect session it
// belonged to, ID token and claims with it, goes too: a professional
// signing in on a browser where another did not sign out gets none of it.
func (s *Server) renewToken(ctx context.Context) error {
	w := s.session(ctx)
	old := w.Token()
	wasPSC := w.Authority() == authorityPSC
	if err := w.RenewToken(); err != nil {
		return err
	}
	if old == "" || !wasPSC {
		return nil
	}
	return s.ProviderSessions.ForgetSessionToken(ctx, old)
}
