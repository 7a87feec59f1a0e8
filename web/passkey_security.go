package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/i18n"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// securityPath is "Sécurité du compte": the account's passkeys.
const securityPath = "/compte/securite"

// maxPasskeyName bounds a passkey's name (characters).
const maxPasskeyName = 64

// securityNotices are the notices a redirect to the page may ask for.
var securityNotices = map[string]string{"added": "passkey.security.added", "removed": "passkey.security.removed"}

// securityView is the page's state for the signed-in account.
func (s *Server) securityView(c echo.Context) (views.SecurityView, store.Account, error) {
	ctx := c.Request().Context()
	w := s.session(ctx)
	v := views.SecurityView{Local: w.Authority() == authorityLocal && s.passkeysEnabled(), Location: s.loc, Origin: s.passkeyOrigin(),
		MustRegister: w.MustRegisterPasskey()}
	if !v.Local {
		return v, store.Account{}, nil
	}
	acct, err := s.Accounts.AccountByID(ctx, w.Account())
	if err != nil {
		return v, acct, err
	}
	rows, err := s.Passkeys.PasskeysOf(ctx, acct.ID)
	if err != nil {
		return v, acct, err
	}
	for _, r := range rows {
		v.Passkeys = append(v.Passkeys, views.PasskeyRow{ID: r.ID, Name: r.Name, Created: r.CreatedAt, LastUsed: r.LastUsedAt})
	}
	policy, err := s.policyFor(ctx, acct.ID)
	if err != nil {
		return v, acct, err
	}
	v.KeepLast = policy.Strict() && len(rows) == 1
	return v, acct, nil
}

// securityPage lists the account's passkeys.
func (s *Server) securityPage(c echo.Context) error {
	v, _, err := s.securityView(c)
	if err != nil {
		return err
	}
	v.Notice = securityNotices[c.QueryParam("ok")]
	return s.render(c, http.StatusOK, views.SecurityPage(v))
}

// localOnly refuses passkey changes to a professional signed in through
// an authority: passkeys belong to local accounts.
func (s *Server) localOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !s.passkeysEnabled() || s.session(c.Request().Context()).Authority() != authorityLocal {
			return &pageError{view: views.ErrorView{Status: http.StatusForbidden, Title: "passkey.security.title", Message: "passkey.security.local_only"}}
		}
		return next(c)
	}
}

// passkeyName is the name typed, trimmed, or the default one; ok is false
// when it is too long.
func passkeyName(c echo.Context) (string, bool) {
	name := strings.Join(strings.Fields(c.FormValue("name")), " ")
	if utf8.RuneCountInString(name) > maxPasskeyName {
		return name, false
	}
	if name == "" {
		name = i18n.T(c.Request().Context(), "passkey.security.default_name")
	}
	return name, true
}

// registrationOptions begins the registration of a passkey.
func (s *Server) registrationOptions(c echo.Context) error {
	ctx := c.Request().Context()
	if _, ok := passkeyName(c); !ok {
		return optionsRefused(c, http.StatusUnprocessableEntity)
	}
	acct, err := s.Accounts.AccountByID(ctx, s.accountID(ctx))
	if err != nil {
		return err
	}
	u, _, err := s.passkeyUser(ctx, acct)
	if err != nil {
		return err
	}
	options, state, err := s.rp.BeginRegistration(u)
	if err != nil {
		return err
	}
	return s.passkeyOptions(c, ceremonyRegister, options, state)
}

// registerPasskey keeps the passkey the browser created.
func (s *Server) registerPasskey(c echo.Context) error {
	ctx := c.Request().Context()
	answerAs(c, securityPath)
	state := s.session(ctx).PopPasskeyCeremony(ceremonyRegister)
	v, acct, err := s.securityView(c)
	if err != nil {
		return err
	}
	name, ok := passkeyName(c)
	v.Name = name
	if !ok {
		v.Error = "passkey.security.name_too_long"
		return s.render(c, http.StatusUnprocessableEntity, views.SecurityPage(v))
	}
	u, _, err := s.passkeyUser(ctx, acct)
	if err != nil {
		return err
	}
	cred, err := s.rp.FinishRegistration(u, state, []byte(c.FormValue("credential")))
	if err != nil {
		key, status, ok := passkeyRefusal(err)
		if !ok {
			return err
		}
		s.Logger.InfoContext(ctx, "passkey refused", slog.String("step", ceremonyRegister), slog.String("reason", err.Error()))
		v.Error = key
		return s.render(c, status, views.SecurityPage(v))
	}
	record, err := passkeyRecord(cred)
	if err != nil {
		return err
	}
	p, err := s.Passkeys.AddPasskey(ctx, store.Passkey{AccountID: acct.ID, CredentialID: cred.ID, Name: name,
		Record: record, SignCount: cred.Authenticator.SignCount, CreatedAt: s.Now()})
	if errors.Is(err, store.ErrConflict) {
		// Registered already (by this account or, impossibly, another).
		v.Error = "passkey.error.refused"
		return s.render(c, http.StatusConflict, views.SecurityPage(v))
	} else if err != nil {
		return err
	}
	s.session(ctx).SetMustRegisterPasskey(false)
	s.Logger.InfoContext(ctx, "passkey registered", slog.Int64("account", acct.ID), slog.Int64("passkey", p.ID))
	return c.Redirect(http.StatusSeeOther, securityPath+"?ok=added")
}

// removePasskey removes one of the account's passkeys; the last one of an
// account that requires one stays.
func (s *Server) removePasskey(c echo.Context) error {
	ctx := c.Request().Context()
	answerAs(c, securityPath)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	v, acct, err := s.securityView(c)
	if err != nil {
		return err
	}
	if v.KeepLast {
		v.Error = "passkey.security.last_one"
		return s.render(c, http.StatusConflict, views.SecurityPage(v))
	}
	p, err := s.Passkeys.RemovePasskey(ctx, acct.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		v.Error = "passkey.security.not_found"
		return s.render(c, http.StatusNotFound, views.SecurityPage(v))
	} else if err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "passkey removed", slog.Int64("account", acct.ID), slog.Int64("passkey", p.ID))
	return c.Redirect(http.StatusSeeOther, securityPath+"?ok=removed")
}

// securityEventRows are Historique's view of the account's security trail.
func securityEventRows(events []store.SecurityEvent) []views.SecurityEventRow {
	out := make([]views.SecurityEventRow, 0, len(events))
	for _, e := range events {
		out = append(out, views.SecurityEventRow{At: e.At, Event: securityEventKey(e.Kind), Detail: e.Detail})
	}
	return out
}

// securityEventKey names a trail entry in the page's language.
func securityEventKey(kind string) string {
	switch kind {
	case store.EventPasskeyRegistered:
		return "passkey.event.registered"
	case store.EventPasskeyUsed:
		return "passkey.event.used"
	case store.EventPasskeyRemoved:
		return "passkey.event.removed"
	case store.EventPasskeysReset:
		return "passkey.event.reset"
	case store.EventPasskeyRequired:
		return "passkey.event.required"
	case store.EventPasskeyOptional:
		return "passkey.event.optional"
	case store.EventIdentityLinkedByGLN:
		return "hin_profile.event.linked_gln"
	}
	return "passkey.event.other"
}
