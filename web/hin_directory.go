package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/i18n"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/store"
)

// HIN's directory (SDS) knows the professional's name, GLN and
// verification level; a HIN sign-in knows only the hin_id. HIN's tokens
// are per token group, and the directory's is another group (hin_sds)
// than the sign-in's (hin_covercard): reading it takes a second
// authorization, GetAuthCode/hin_sds, with its own one-time state, whose
// code comes back to the same callback (/auth/hin/callback, the one
// redirect URI registered). The pending sign-in remembers which of the two
// it is (authorityHINDirectory), so a code is taken only at the flow that
// asked for it, as between PSC and HIN.
//
// It runs in two places: chained to a redirect HIN sign-in, after its code
// was exchanged (the sign-in completes without a profile when the
// directory fails or is refused, never lost), and from "Lire mon profil
// HIN" on Mes informations, for a professional signed in with HIN. The
// manual sign-in (a code pasted) has no second redirect to chain: it
// signs in without the profile.

// authorityHINDirectory marks a pending sign-in that went to HIN for the
// directory's token group. It is counted and refused as "hin".
const authorityHINDirectory = "hin-directory"

// HINDirectory is HIN's directory and the authorization its token is
// asked with (web.Deps; nil when the plan turns the directory off).
type HINDirectory struct {
	// Auth is the HIN sign-in's client for the directory's token group
	// (hin.Client.ForTokenGroup): it sends the browser to
	// GetAuthCode/hin_sds and exchanges the code.
	Auth *hin.Client
	// Profiles reads the professional's own entry.
	Profiles *hin.ProfileClient
}

// hinStepTokenAAD binds the HIN token of a sign-in waiting for the
// directory, sealed in the session, to that use.
const hinStepTokenAAD = "hin_directory_step"

// hinDirectoryStep is the directory's authorization in flight, kept in
// the session (webSession.SetHINDirectoryStep) beside its pending row.
type hinDirectoryStep struct {
	// State is the pending sign-in's: the callback's state must be it.
	State string `json:"s"`
	// HINID is whose profile is asked for: the token the directory's code
	// gives, and the profile, must be that identity's.
	HINID string `json:"h"`
	// Identity is a sign-in waiting for the directory, its HIN token
	// sealed (SealedToken); nil when a signed-in professional reads their
	// profile again, for Account.
	Identity *verifiedIdentity `json:"i,omitempty"`
	Account  int64             `json:"a,omitempty"`
	// Expires (unix seconds) is the state's.
	Expires int64 `json:"e"`
}

// hinDirectoryURL is the directory's authorization for state, in the
// page's language, naming the identity signed in (login_hint: OpenID
// Connect's; a guess that HIN's own session then spares the professional
// the identity page — the sandbox does so).
func (s *Server) hinDirectoryURL(c echo.Context, state, hinID string) string {
	lang := i18n.From(c.Request().Context()).Lang
	return s.HINDirectory.Auth.AuthCodeURL(state, psc.UILocales(lang), oauth2.SetAuthURLParam("login_hint", hinID))
}

// askHINDirectory chains the directory's authorization to a HIN sign-in
// whose code was just exchanged: the verified identity waits in the
// session, its token sealed, while the browser goes to
// GetAuthCode/hin_sds.
func (s *Server) askHINDirectory(c echo.Context, id verifiedIdentity, tok *hin.Token) error {
	ctx := c.Request().Context()
	if tok != nil {
		b, err := json.Marshal(tok)
		if err != nil {
			return err
		}
		if id.SealedToken, err = s.Box.Seal(b, []byte(hinStepTokenAAD)); err != nil {
			return err
		}
	}
	p, err := s.startSignIn(c, authorityHINDirectory, store.PendingLogin{})
	if err != nil {
		return err
	}
	// A new token: the session now carries a verified identity.
	if err := s.renewToken(ctx); err != nil {
		return err
	}
	if err := s.session(ctx).SetHINDirectoryStep(hinDirectoryStep{
		State: p.State, HINID: id.LinkSubject, Identity: &id, Expires: p.ExpiresAt.Unix(),
	}); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "HIN directory asked", slog.String("purpose", "sign-in"))
	return c.Redirect(http.StatusFound, s.hinDirectoryURL(c, p.State, id.LinkSubject))
}

// hinDirectoryCallback is the directory's authorization coming back: p is
// its pending sign-in, taken. The step in the session must be this
// state's (a state of this browser's, yet not the step's, is refused and
// leaves the step for its own callback). Whatever the directory answers,
// a sign-in waiting for it completes.
func (s *Server) hinDirectoryCallback(c echo.Context, p store.PendingLogin) error {
	ctx := c.Request().Context()
	w := s.session(ctx)
	step, ok := w.HINDirectoryStep()
	switch {
	case !ok:
		return s.refuseSignIn(ctx, authorityHIN, outcomeState, errors.New("directory state without its step"))
	case step.State != p.State:
		return s.refuseSignIn(ctx, authorityHIN, outcomeState, errors.New("directory state of another step"))
	case s.Now().Unix() > step.Expires:
		w.ForgetHINDirectoryStep()
		return s.refuseSignIn(ctx, authorityHIN, outcomeState, errors.New("directory step expired"))
	}
	w.ForgetHINDirectoryStep()
	read := s.readHINDirectory(c, step.HINID)
	if step.Identity != nil {
		return s.continueHINSignIn(c, *step.Identity, read)
	}
	// Read again: for the professional who asked, still signed in with
	// that identity.
	if w.Account() != step.Account || w.Authority() != authorityHIN || w.HINID() != step.HINID {
		return s.refuseSignIn(ctx, authorityHIN, outcomeState, errors.New("directory read for another sign-in"))
	}
	kept, _ := w.HINProfile()
	if read.Problem != "" {
		kept.Problem = read.Problem
		read = kept
	}
	if err := w.SetHINProfile(read); err != nil {
		return err
	}
	if read.Problem == "" {
		w.SetFlash("hin_profile.done")
	}
	return c.Redirect(http.StatusSeeOther, profilePath)
}

// continueHINSignIn completes the sign-in that waited for the directory,
// with the profile read, or without it when read says why not.
func (s *Server) continueHINSignIn(c echo.Context, id verifiedIdentity, read hinProfile) error {
	var tok *hin.Token
	if len(id.SealedToken) > 0 {
		b, err := s.Box.Open(id.SealedToken, []byte(hinStepTokenAAD))
		if err != nil {
			return fmt.Errorf("HIN token waiting for the directory: %w", err)
		}
		tok = &hin.Token{}
		if err := json.Unmarshal(b, tok); err != nil {
			return err
		}
		id.SealedToken = nil
	}
	id.HINProfile = &read
	if read.Problem == "" && read.Name != "" {
		// The header's name, in capitals as every sign-in shows it.
		id.DisplayName = strings.ToUpper(read.Name)
	}
	return s.signInWith(c, id, tok)
}

// readHINDirectory exchanges the directory's code and reads the profile
// of hinID with its token. It never fails: a failure is a profile whose
// Problem says why, logged (without the code or token).
func (s *Server) readHINDirectory(c echo.Context, hinID string) hinProfile {
	ctx := c.Request().Context()
	failed := func(problem string, err error) hinProfile {
		level := slog.LevelWarn
		if problem == "hin_profile.problem.refused" {
			level = slog.LevelInfo // the professional's choice
		}
		s.Logger.Log(ctx, level, "HIN directory not read", slog.String("why", problem), slog.Any("err", err))
		return hinProfile{Problem: problem}
	}
	if err := hin.CallbackError(c.QueryParams()); err != nil {
		if errors.Is(err, hin.ErrCancelled) {
			return failed("hin_profile.problem.refused", err)
		}
		return failed("hin_profile.problem.unavailable", err)
	}
	code := hin.CallbackCode(c.QueryParams())
	if code == "" {
		return failed("hin_profile.problem.unavailable", errors.New("callback without code"))
	}
	tok, err := s.HINDirectory.Auth.Exchange(ctx, code, false)
	if err != nil {
		return failed("hin_profile.problem.unavailable", err)
	}
	if tok.HINID != hinID {
		// Another HIN identity answered the second authorization: its
		// profile is not this professional's.
		return failed("hin_profile.problem.other_identity", errors.New("the directory's token is another hin_id's"))
	}
	prof, err := s.HINDirectory.Profiles.Self(ctx, tok.AccessToken)
	// The directory's token is not kept: the profile is read once, right
	// now, and reading it again runs the authorization again. Keeping it
	// would mean a second token family per account to store sealed,
	// refresh and rotate, for no call the portal makes later.
	switch {
	case errors.Is(err, hin.ErrProfileForbidden), errors.Is(err, hin.ErrProfileToken):
		return failed("hin_profile.problem.forbidden", err)
	case err != nil:
		return failed("hin_profile.problem.unavailable", err)
	case !strings.EqualFold(prof.LoginName, hinID):
		// Guess: SDS's loginName is the hin_id, in any case.
		return failed("hin_profile.problem.other_identity", errors.New("the profile is another loginName's"))
	}
	s.Logger.InfoContext(ctx, "HIN directory read", slog.Bool("gln", prof.GLN != ""))
	return hinProfile{Name: prof.DisplayName(), GLN: prof.GLN, Level: prof.VerificationLevel, ReadAt: s.Now().Unix()}
}

// linkByGLN links a HIN identity not linked yet to the account whose GLN
// its directory profile carries, when that account has no other HIN
// identity: the GLN comes from HIN's directory, read with the
// professional's own HIN token — the trust an RPPS from Pro Santé Connect
// has. ok is false when no account was linked (none has the GLN, or it
// has another HIN identity): the linking page follows.
func (s *Server) linkByGLN(c echo.Context, id verifiedIdentity) (store.Account, bool, error) {
	ctx := c.Request().Context()
	if id.Authority != authorityHIN || id.HINProfile == nil || id.HINProfile.GLN == "" {
		return store.Account{}, false, nil
	}
	acct, err := s.Identities.LinkIdentityByGLN(ctx, authorityHIN, id.LinkSubject, id.HINProfile.GLN)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return acct, false, nil
	case errors.Is(err, store.ErrOtherIdentity), errors.Is(err, store.ErrConflict):
		s.Logger.WarnContext(ctx, "identity not linked by GLN", slog.String("method", id.Authority), slog.Any("err", err))
		return acct, false, nil
	case err != nil:
		return acct, false, err
	}
	s.Logger.InfoContext(ctx, "identity linked by GLN", slog.String("method", id.Authority), slog.Int64("account", acct.ID))
	s.countSignIn(id.Authority, outcomeLinkedGLN)
	s.session(ctx).SetFlash("link.done.gln")
	return acct, true, nil
}
