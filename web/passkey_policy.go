package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/passkey"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// PasskeyStore is what passkeys need of the store.
type PasskeyStore interface {
	PasskeyUserHandle(ctx context.Context, accountID int64) ([]byte, error)
	AccountByPasskeyHandle(ctx context.Context, handle []byte) (store.Account, error)
	PasskeyRequired(ctx context.Context, accountID int64) (bool, error)
	AddPasskey(ctx context.Context, p store.Passkey) (store.Passkey, error)
	PasskeysOf(ctx context.Context, accountID int64) ([]store.Passkey, error)
	CountPasskeys(ctx context.Context, accountID int64) (int, error)
	PasskeyByCredentialID(ctx context.Context, credentialID []byte) (store.Passkey, error)
	UsePasskey(ctx context.Context, p store.Passkey, checkedCount uint32) (store.Passkey, error)
	RemovePasskey(ctx context.Context, accountID, passkeyID int64) (store.Passkey, error)
	RecentSecurityEvents(ctx context.Context, accountID int64, limit int) ([]store.SecurityEvent, error)
}

// rpName is what authenticators show beside a passkey of this portal.
const rpName = "InfoPatient"

// newRelyingParty is the portal's WebAuthn relying party, from
// INFOPATIENT_BASE_URL; without a passkey store there is none.
func newRelyingParty(d Deps) *passkey.RP {
	if d.Passkeys == nil || d.Config == nil {
		return nil
	}
	rp, err := passkey.New(d.Config.BaseURL, rpName)
	if err != nil {
		d.Logger.Error("passkeys disabled", slog.Any("err", err))
		return nil
	}
	return rp
}

// passkeysEnabled says whether the pages offer passkeys.
func (s *Server) passkeysEnabled() bool { return s.rp != nil }

// passkeyOrigin is where passkeys work ("" without passkeys).
func (s *Server) passkeyOrigin() string {
	if s.rp == nil {
		return ""
	}
	return s.rp.Origin()
}

// policyFor is the sign-in policy that applies to an account: the
// portal's, raised to password+passkey for an account required to use a
// passkey (`infopatient account require-passkey`).
func (s *Server) policyFor(ctx context.Context, accountID int64) (config.LocalSignIn, error) {
	policy := s.Config.LocalSignIn
	if policy == "" {
		policy = config.SignInPassword
	}
	if policy != config.SignInPassword {
		return policy, nil
	}
	required, err := s.Passkeys.PasskeyRequired(ctx, accountID)
	if err != nil || !required {
		return policy, err
	}
	return config.SignInPasswordPasskey, nil
}

// afterPassword is what an account whose password was right still has to
// show.
type afterPassword int

const (
	passwordEnough  afterPassword = iota
	passkeyNext                   // a passkey, as a second step
	passkeyToEnrol                // nothing yet: it must register a passkey right away
	passwordRefused               // a passkey instead: the password does not sign this account in
)

func (s *Server) afterPassword(ctx context.Context, accountID int64) (afterPassword, error) {
	if !s.passkeysEnabled() {
		return passwordEnough, nil
	}
	policy, err := s.policyFor(ctx, accountID)
	if err != nil || !policy.Strict() {
		return passwordEnough, err
	}
	n, err := s.Passkeys.CountPasskeys(ctx, accountID)
	switch {
	case err != nil:
		return passwordEnough, err
	case n == 0:
		return passkeyToEnrol, nil
	case policy == config.SignInPasskey:
		return passwordRefused, nil
	default:
		return passkeyNext, nil
	}
}

// passkeyGate runs after a right password on the login form. It returns
// done when it answered the request itself: the password refused, a
// second step asked for, or the account signed in and sent to register
// its first passkey.
func (s *Server) passkeyGate(c echo.Context, acct store.Account, f views.LoginForm) (done bool, err error) {
	ctx := c.Request().Context()
	next, err := s.afterPassword(ctx, acct.ID)
	if err != nil {
		return true, err
	}
	switch next {
	case passwordRefused:
		s.Logger.InfoContext(ctx, "sign-in refused", slog.String("method", authorityLocal), slog.String("outcome", "passkey_required"))
		s.countSignIn(authorityLocal, outcomeRefused)
		f.Error = "passkey.error.password_refused"
		return true, s.render(c, http.StatusUnauthorized, views.LoginPage(f))
	case passkeyNext:
		// A new token: the session now carries an account half proven.
		if err := s.renewToken(ctx); err != nil {
			return true, err
		}
		if err := s.session(ctx).SetPasskeyPending(passkeyPending{
			Account: acct.ID, ReturnTo: f.ReturnTo, Expires: s.Now().Add(passkey.Ceremony).Unix(),
		}); err != nil {
			return true, err
		}
		return true, c.Redirect(http.StatusSeeOther, "/auth/passkey/second")
	case passkeyToEnrol:
		if err := s.signIn(ctx, localSignedIn(acct)); err != nil {
			return true, err
		}
		s.session(ctx).SetMustRegisterPasskey(true)
		s.Logger.InfoContext(ctx, "signed in", slog.String("method", authorityLocal), slog.Int64("account", acct.ID),
			slog.String("next", "passkey registration"))
		s.countSignIn(authorityLocal, outcomeSuccess)
		return true, c.Redirect(http.StatusSeeOther, securityPath)
	}
	return false, nil
}

// linkPasswordRefused says whether the linking page must refuse the
// password of this account: one that signs in with a passkey links with
// it too.
func (s *Server) linkPasswordRefused(ctx context.Context, accountID int64) (bool, error) {
	next, err := s.afterPassword(ctx, accountID)
	return next == passwordRefused || next == passkeyNext, err
}

// localSignedIn is a local account's session.
func localSignedIn(a store.Account) signedIn {
	return signedIn{AccountID: a.ID, DisplayName: displayName(a), Identifier: accountIdentifier(a), Authority: authorityLocal}
}

// passkeyUser is an account as the relying party sees it, with its
// passkeys.
func (s *Server) passkeyUser(ctx context.Context, a store.Account) (passkey.User, []store.Passkey, error) {
	handle, err := s.Passkeys.PasskeyUserHandle(ctx, a.ID)
	if err != nil {
		return passkey.User{}, nil, err
	}
	rows, err := s.Passkeys.PasskeysOf(ctx, a.ID)
	if err != nil {
		return passkey.User{}, nil, err
	}
	u := passkey.User{Handle: handle, Name: a.Login, DisplayName: displayName(a)}
	for _, r := range rows {
		cred, err := passkey.UnmarshalRecord(r.Record)
		if err != nil {
			// One unreadable record must not lock the account out of the
			// others; it is logged and left aside.
			s.Logger.ErrorContext(ctx, "passkey record unreadable", slog.Int64("passkey", r.ID), slog.Any("err", err))
			continue
		}
		u.Credentials = append(u.Credentials, cred)
	}
	return u, rows, nil
}

// findPasskeyOwner finds the account of a passkey presented in a
// discoverable sign-in: the credential must be registered, and to the
// account whose user handle the authenticator returned.
func (s *Server) findPasskeyOwner(ctx context.Context, found *store.Account) passkey.FindUser {
	return func(credentialID, handle []byte) (passkey.User, error) {
		row, err := s.Passkeys.PasskeyByCredentialID(ctx, credentialID)
		if errors.Is(err, store.ErrNotFound) {
			return passkey.User{}, passkey.ErrUnknownCredential
		} else if err != nil {
			return passkey.User{}, err
		}
		acct, err := s.Passkeys.AccountByPasskeyHandle(ctx, handle)
		if errors.Is(err, store.ErrNotFound) || (err == nil && acct.ID != row.AccountID) {
			return passkey.User{}, passkey.ErrUnknownCredential
		} else if err != nil {
			return passkey.User{}, err
		}
		*found = acct
		u, _, err := s.passkeyUser(ctx, acct)
		return u, err
	}
}

// recordUse writes back what a verified sign-in changed (sign count,
// flags) and stamps the passkey used; the security trail gets the use.
// A count that moved meanwhile (the same assertion twice at once) or a
// passkey removed meanwhile refuses the sign-in.
func (s *Server) recordUse(ctx context.Context, v passkey.Verified) error {
	row, err := s.Passkeys.PasskeyByCredentialID(ctx, v.Credential.ID)
	if errors.Is(err, store.ErrNotFound) {
		return passkey.ErrUnknownCredential
	} else if err != nil {
		return err
	}
	if row.Record, err = passkey.MarshalRecord(v.Credential); err != nil {
		return err
	}
	row.SignCount, row.LastUsedAt = v.Credential.Authenticator.SignCount, s.Now()
	_, err = s.Passkeys.UsePasskey(ctx, row, v.PreviousCount)
	switch {
	case errors.Is(err, store.ErrConflict):
		return passkey.ErrCounter
	case errors.Is(err, store.ErrNotFound):
		return passkey.ErrUnknownCredential
	}
	return err
}

// passkeyRefusal is how a refused passkey is answered: the message key
// and status of the page, and whether the error is the portal's own fault
// (then returned, not shown as a refusal).
func passkeyRefusal(err error) (key string, status int, ok bool) {
	switch {
	case errors.Is(err, passkey.ErrNoCeremony), errors.Is(err, passkey.ErrExpired):
		return "passkey.error.expired", http.StatusBadRequest, true
	case errors.Is(err, passkey.ErrMalformed):
		return "passkey.error.refused", http.StatusBadRequest, true
	case errors.Is(err, passkey.ErrUnknownCredential):
		return "passkey.error.unknown", http.StatusUnauthorized, true
	case errors.Is(err, passkey.ErrCounter):
		return "passkey.error.counter", http.StatusUnauthorized, true
	case errors.Is(err, passkey.ErrRefused):
		return "passkey.error.refused", http.StatusUnauthorized, true
	}
	return "", 0, false
}

// logRefusal logs why a passkey was refused (the library's reason, never
// a key or a challenge) and counts it.
func (s *Server) logRefusal(ctx context.Context, what string, err error) {
	s.Logger.InfoContext(ctx, "passkey refused", slog.String("step", what), slog.String("reason", err.Error()))
	s.countSignIn(authorityPasskey, outcomeRefused)
}

// authorityPasskey labels passkey sign-ins in logs and metrics.
const authorityPasskey = "passkey"

// passkeyRecord is what the store keeps of a credential.
func passkeyRecord(c webauthn.Credential) ([]byte, error) { return passkey.MarshalRecord(c) }
