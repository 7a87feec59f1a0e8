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

// linkTokenAAD binds a HIN token sealed in a pending link to that use (the
// value is the one sealed tokens already waiting in sessions carry).
const linkTokenAAD = "pending_link"

// linkTimeout bounds how long an identity may wait for its account.
const linkTimeout = 10 * time.Minute

// askToLink parks the identity in the session and shows the linking page.
func (s *Server) askToLink(c echo.Context, id verifiedIdentity, tok *hin.Token) error {
	ctx := c.Request().Context()
	if tok != nil {
		b, err := json.Marshal(tok)
		if err != nil {
			return err
		}
		if id.SealedToken, err = s.Box.Seal(b, []byte(linkTokenAAD)); err != nil {
			return err
		}
	}
	if err := s.sealPendingPSCTokens(&id); err != nil {
		return err
	}
	id.Expires = s.Now().Add(linkTimeout).Unix()
	// A new token: the session now carries a verified identity.
	if err := s.renewToken(ctx); err != nil {
		return err
	}
	if err := s.session(ctx).SetPendingLink(id); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "identity not linked yet", slog.String("method", id.Authority))
	s.countSignIn(id.Authority, outcomeUnlinked)
	return c.Redirect(http.StatusSeeOther, "/auth/link")
}

// pendingLink returns the identity waiting to be linked, if still valid.
func (s *Server) pendingLink(ctx context.Context) (verifiedIdentity, bool) {
	id, ok := s.session(ctx).PendingLink()
	if !ok || s.Now().Unix() > id.Expires {
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
	return s.render(c, http.StatusOK, views.LinkPage(views.LinkForm{Authority: id.Authority, Who: id.who(), PasskeyOrigin: s.passkeyOrigin()}))
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
	f := views.LinkForm{Authority: id.Authority, Who: id.who(), Login: cred.login, PasskeyOrigin: s.passkeyOrigin()}
	if cred.refused != "" {
		f.Error = cred.refused
		return s.render(c, cred.status, views.LinkPage(f))
	}
	acct := cred.account
	// An account that signs in with a passkey links with it too.
	if refused, err := s.linkPasswordRefused(ctx, acct.ID); err != nil {
		return err
	} else if refused {
		f.Error = "passkey.error.password_refused"
		return s.render(c, http.StatusUnauthorized, views.LinkPage(f))
	}
	return s.completeLink(c, id, acct, f)
}

// completeLink links the waiting identity to the account the professional
// proved (by password or passkey) and signs them in.
func (s *Server) completeLink(c echo.Context, id verifiedIdentity, acct store.Account, f views.LinkForm) error {
	ctx := c.Request().Context()
	if refused, err := s.linkRefusal(ctx, id, acct); err != nil {
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
	s.openPendingPSCTokens(ctx, &id)
	s.session(ctx).ForgetPendingLink()
	// The identification page confirms the link, once.
	s.session(ctx).SetFlash("link.done." + id.Authority)
	return s.finishSignIn(c, acct, id, tok)
}

func (s *Server) unsealLinkToken(id verifiedIdentity) (*hin.Token, error) {
	if len(id.SealedToken) == 0 {
		return nil, nil
	}
	b, err := s.Box.Open(id.SealedToken, []byte(linkTokenAAD))
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
	if id, ok := s.session(ctx).PopPendingLink(); ok && id.Authority == authorityPSC && id.IDToken != "" {
		s.Logger.InfoContext(ctx, "identity link cancelled", slog.String("method", id.Authority))
		return s.endAtPSC(c, id.IDToken, "/")
	}
	return c.Redirect(http.StatusSeeOther, "/")
}
