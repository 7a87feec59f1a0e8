package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/store"
)

// touchEvery bounds how often activity is written back: a busy
// professional costs one session write a minute instead of one per
// request. A short idle timeout is written back at a quarter of it, so
// that activity always lands well before the timeout (never more often
// than once a second: activity is kept in whole seconds).
func (s *Server) touchEvery() time.Duration {
	return max(time.Second, min(time.Minute, s.Config.SessionIdleTimeout/4))
}

// NewSessionManager configures scs from the configuration: cookie
// HttpOnly, SameSite=Lax, Secure over https, absolute lifetime. The idle
// timeout is enforced by the sessions middleware (see touchEvery), not by
// scs, whose idle timeout rewrites the session on every request.
func NewSessionManager(store scs.Store, lifetime time.Duration, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.Lifetime = lifetime
	sm.Cookie.Name = "infopatient_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	sm.Cookie.Persist = false
	sm.Codec = jsonCodec{decoded: newDecodedSessions(decodedSessionsPerGeneration)}
	return sm
}

// jsonCodec stores session values as JSON. scs's default, gob, describes
// every type again in each session it decodes, which made decoding the
// dearest step of an authenticated request; every value InfoPatient keeps
// in a session is a string, which JSON round-trips exactly. Sessions
// decoded lately are remembered (see decodedSessions); the zero value
// decodes every time.
type jsonCodec struct{ decoded *decodedSessions }

type encodedSession struct {
	Deadline time.Time         `json:"d"`
	Values   map[string]string `json:"v"`
}

func (jsonCodec) Encode(deadline time.Time, values map[string]interface{}) ([]byte, error) {
	e := encodedSession{Deadline: deadline, Values: make(map[string]string, len(values))}
	for k, v := range values {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("session value %q is a %T: only strings are kept", k, v)
		}
		e.Values[k] = s
	}
	return json.Marshal(e)
}

func (c jsonCodec) Decode(b []byte) (time.Time, map[string]interface{}, error) {
	if c.decoded != nil {
		if deadline, values, ok := c.decoded.get(b); ok {
			return deadline, values, nil
		}
	}
	var e encodedSession
	if err := json.Unmarshal(b, &e); err != nil {
		return time.Time{}, nil, err
	}
	values := make(map[string]interface{}, len(e.Values))
	for k, v := range e.Values {
		values[k] = v
	}
	if c.decoded != nil {
		c.decoded.put(b, e.Deadline, values)
	}
	return e.Deadline, values, nil
}

// sessions is an Echo-native scs middleware: it loads the session, ends it
// when idle too long, and commits it just before the response is written.
func (s *Server) sessions(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		var token string
		if ck, err := req.Cookie(s.Sessions.Cookie.Name); err == nil {
			token = ck.Value
		}
		ctx, err := s.freshSession(req, token)
		if err != nil {
			return err
		}
		c.SetRequest(req.WithContext(ctx))
		c.Response().Header().Add("Vary", "Cookie")
		if token != "" && s.Sessions.Token(ctx) == "" {
			// The browser presents a session that no longer exists: ended
			// by Pro Santé Connect (back-channel logout), by a logout
			// elsewhere, or past its lifetime. The next page says so once;
			// the stale cookie is cleared (a session written by this
			// request sets its own cookie after this one).
			c.Set(ctxSessionEnded, true)
			s.Sessions.WriteSessionCookie(ctx, c.Response().Writer, "", time.Time{})
		}
		c.Response().Before(func() { s.commitSession(c) })

		account := s.session(ctx).Account()
		if expired, err := s.checkIdle(ctx); err != nil {
			return err
		} else if expired {
			c.Set(ctxSessionExpired, true)
			c.Set(ctxExpiredAccount, account)
		}
		return next(c)
	}
}

// Request flags set by the sessions middleware: the session was idle too
// long (ended by this request), or the cookie named one that no longer
// exists.
const (
	ctxSessionExpired = "session_expired"
	ctxSessionEnded   = "session_ended"
	ctxExpiredAccount = "expired_account" // the account of a session ended by this request (int64)
)

// checkIdle ends a signed-in session idle for longer than the configured
// timeout, and records activity at most once per touchEvery.
func (s *Server) checkIdle(ctx context.Context) (expired bool, err error) {
	if !s.session(ctx).SignedIn() {
		return false, nil
	}
	now := s.Now()
	seen := s.session(ctx).LastSeen()
	if now.Sub(seen) > s.Config.SessionIdleTimeout {
		return true, s.session(ctx).Destroy()
	}
	if now.Sub(seen) >= s.touchEvery() {
		s.session(ctx).Touch(now)
	}
	return false, nil
}

// commitSession writes a modified session and its cookie, or clears the
// cookie of a destroyed one. It runs right before the headers are sent.
func (s *Server) commitSession(c echo.Context) {
	ctx := c.Request().Context()
	w := c.Response().Writer
	switch s.Sessions.Status(ctx) {
	case scs.Modified:
		stamp := newStamp()
		s.Sessions.Put(ctx, keyStamp, stamp)
		token, expiry, err := s.Sessions.Commit(ctx)
		if errors.Is(err, store.ErrSessionEnded) {
			// Ended (logout elsewhere) while this request ran: it stays
			// ended, and this browser's cookie goes.
			s.Sessions.WriteSessionCookie(ctx, w, "", time.Time{})
			return
		}
		if err != nil {
			s.Logger.ErrorContext(ctx, "session commit failed", slog.Any("err", err))
			return
		}
		s.Sessions.WriteSessionCookie(ctx, w, token, expiry)
		http.SetCookie(w, s.stampCookie(stamp))
	case scs.Destroyed:
		s.Sessions.WriteSessionCookie(ctx, w, "", time.Time{})
	}
}

// stampCookie names the session write a browser saw last. A session
// written by one instance may still be in another's cache for the few
// milliseconds its change notice takes (store.sessionCache): a browser
// sent from a POST on A to a GET on B would see the page before its POST.
// The stamp, written in the session and in this cookie at every write,
// tells B its copy is older than what the browser saw; B then reads the
// session again (freshSession). It costs no query when the stamps agree.
const stampCookie = "infopatient_sv"

func (s *Server) stampCookie(stamp string) *http.Cookie {
	return &http.Cookie{Name: stampCookie, Value: stamp, Path: "/", HttpOnly: true,
		Secure: s.Sessions.Cookie.Secure, SameSite: http.SameSiteLaxMode}
}

// newStamp is a session write's stamp: random, so that no two writes,
// on any instance, share one.
func newStamp() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// freshSession loads the session of token; when the browser saw a later
// write than the copy this instance holds (the stamps differ), the copy
// is dropped and the session read from the database. A store without a
// cache is always fresh.
func (s *Server) freshSession(req *http.Request, token string) (context.Context, error) {
	ctx, err := s.Sessions.Load(req.Context(), token)
	if err != nil || token == "" {
		return ctx, err
	}
	seen, err := req.Cookie(stampCookie)
	if err != nil || seen.Value == s.Sessions.GetString(ctx, keyStamp) {
		return ctx, nil
	}
	cached, ok := s.Sessions.Store.(interface{ ForgetCached(token string) })
	if !ok {
		return ctx, nil
	}
	cached.ForgetCached(token)
	return s.Sessions.Load(req.Context(), token)
}

// Session keys: every value the portal keeps in a session, under the
// names open sessions already carry. Only webSession reads and writes
// them. The header's data lives in the session so that an authenticated
// page costs one database query: the session load.
const (
	keyAccount    = "account_id"
	keyName       = "display_name"
	keyIdent      = "identifier"
	keyAuthority  = "method"       // the authority of the sign-in (its old name stays in open sessions)
	keySeen       = "seen"         // unix seconds of the last activity, for the idle timeout
	keyFlash      = "flash"        // message key shown once on the next page
	keyPushSignIn = "psc_push"     // an e-CPS push sign-in in flight (pushSignIn)
	keyLogoutAt   = "logout_at"    // when the browser left for PSC's logout (unix)
	keyHINID      = "hin_id"       // the hin_id of a HIN sign-in
	keyLink       = "pending_link" // an identity waiting to be linked
	keyLogout     = "logout_state" // state of an RP-initiated logout
	keyLogoutDone = "logout_done"  // the local page it lands on
	// keyLastPatient is the lookup last shown: "lookup:<audit row id>",
	// nothing else (older sessions: kind and number, now ignored).
	keyLastPatient = "last_lookup"
	// keyDraft is a number typed when the session expired, kept across
	// the sign-in again: "account:unix seconds:number".
	keyDraft = "draft_lookup"
	// keySignedAt is when the professional signed in (unix seconds): a
	// lookup's page shows again only what this sign-in looked up.
	keySignedAt = "signed_at"
	// Passkeys: the ceremony in progress (its purpose and go-webauthn's
	// state, challenge included: one use, short expiry), a password sign-in
	// waiting for its passkey, and an account that must register one.
	keyPasskeyCeremony = "passkey_ceremony"
	keyPasskeyPending  = "passkey_pending"
	keyPasskeyRegister = "passkey_register"
	// keyLastRights is what the French rights page showed last (inputs,
	// answer or failure), sealed with the token box: see rightsShown.
	keyLastRights = "last_rights"
	// keyStamp changes at every write of the session; the browser holds
	// the last one in stampCookie (see freshSession).
	keyStamp = "stamp"
	// HIN's directory: the second authorization in flight (hinDirectoryStep,
	// the HIN token of a sign-in waiting for it sealed), the profile read
	// (hinProfile), and a warning shown once on the next page that has room
	// for one (a sign-in that completed without the profile).
	keyHINStep    = "hin_directory_step"
	keyHINProfile = "hin_profile"
	keyWarning    = "flash_warning"
)

// Session keys where sessions signed in before migration 0002 keep the ID
// token and the claims of a PSC sign-in. A sign-in clears them; the logout
// still reads the ID token there. Both can go once every such session has
// ended (one session lifetime after the upgrade).
const (
	legacyKeyPSCIDToken = "psc_id_token"
	legacyKeyPSCProfile = "psc_profile"
)

// webSession is the typed face of one request's session (after Miniflux's
// model.WebSession): the portal reads and writes its session only through
// these methods. A feature that needs to keep something adds a method
// here, not a key elsewhere.
type webSession struct {
	sm  *scs.SessionManager
	ctx context.Context
}

// session is the session of the request whose context is ctx.
func (s *Server) session(ctx context.Context) webSession {
	return webSession{sm: s.Sessions, ctx: ctx}
}

// Token is the session's token ("" before it is first written).
func (w webSession) Token() string { return w.sm.Token(w.ctx) }

// RenewToken gives the session a new token (see Server.renewToken).
func (w webSession) RenewToken() error { return w.sm.RenewToken(w.ctx) }

// Destroy ends the session in the store.
func (w webSession) Destroy() error { return w.sm.Destroy(w.ctx) }

// SignedIn says whether a professional is signed in.
func (w webSession) SignedIn() bool { return w.sm.Exists(w.ctx, keyAccount) }

// Account is the signed-in account (0 when none).
func (w webSession) Account() int64 {
	n, _ := strconv.ParseInt(w.sm.GetString(w.ctx, keyAccount), 10, 64)
	return n
}

// DisplayName, Identifier and Authority are the header's view of the
// signed-in professional and how they signed in.
func (w webSession) DisplayName() string { return w.sm.GetString(w.ctx, keyName) }
func (w webSession) Identifier() string  { return w.sm.GetString(w.ctx, keyIdent) }
func (w webSession) Authority() string   { return w.sm.GetString(w.ctx, keyAuthority) }

// SetSignedIn records who is signed in, active now. The patient a
// previous professional looked up in this browser is not the new one's to
// see again.
func (w webSession) SetSignedIn(who signedIn, now time.Time) {
	w.sm.Put(w.ctx, keyAccount, strconv.FormatInt(who.AccountID, 10))
	w.sm.Put(w.ctx, keyName, who.DisplayName)
	w.sm.Put(w.ctx, keyIdent, who.Identifier)
	w.sm.Put(w.ctx, keyAuthority, who.Authority)
	w.Touch(now)
	w.sm.Put(w.ctx, keySignedAt, strconv.FormatInt(now.Unix(), 10))
	w.sm.Remove(w.ctx, keyLastPatient)
	w.sm.Remove(w.ctx, keyPasskeyPending)
	w.sm.Remove(w.ctx, keyPasskeyRegister)
	w.sm.Remove(w.ctx, keyLastRights)
}

// SignedInAt is when the professional signed in, in whole seconds (the
// zero time for sessions signed in before it was kept).
func (w webSession) SignedInAt() time.Time {
	n, err := strconv.ParseInt(w.sm.GetString(w.ctx, keySignedAt), 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.Unix(n, 0)
}

// LastSeen is the last activity recorded (the zero Unix time when none).
func (w webSession) LastSeen() time.Time {
	n, _ := strconv.ParseInt(w.sm.GetString(w.ctx, keySeen), 10, 64)
	return time.Unix(n, 0)
}

// Touch records activity at now (whole seconds).
func (w webSession) Touch(now time.Time) {
	w.sm.Put(w.ctx, keySeen, strconv.FormatInt(now.Unix(), 10))
}

// SetFlash keeps a message key for the next page; PopFlash takes it.
func (w webSession) SetFlash(key string) { w.sm.Put(w.ctx, keyFlash, key) }
func (w webSession) PopFlash() string    { return w.sm.PopString(w.ctx, keyFlash) }

// Browser is this browser's random id ("" until SetBrowser).

// HINID is the hin_id of a HIN sign-in ("" for another authority).
func (w webSession) HINID() string      { return w.sm.GetString(w.ctx, keyHINID) }
func (w webSession) SetHINID(id string) { w.sm.Put(w.ctx, keyHINID, id) }

// LegacyPSCIDToken is the ID token a session signed in before migration
// 0002 keeps ("" for any other).
func (w webSession) LegacyPSCIDToken() string { return w.sm.GetString(w.ctx, legacyKeyPSCIDToken) }

// ForgetPreviousSignIn removes what an authority's sign-in left besides
// who is signed in: a shared computer's next professional gets none of it.
func (w webSession) ForgetPreviousSignIn() {
	for _, key := range []string{legacyKeyPSCIDToken, legacyKeyPSCProfile, keyHINID, keyHINProfile, keyHINStep, keyWarning} {
		w.sm.Remove(w.ctx, key)
	}
}

// SetPendingLink parks an identity waiting to be linked to an account.
func (w webSession) SetPendingLink(id verifiedIdentity) error {
	b, err := json.Marshal(id)
	if err != nil {
		return err
	}
	w.sm.Put(w.ctx, keyLink, string(b))
	return nil
}

// PendingLink is the identity waiting to be linked, if any (whatever its
// expiry); PopPendingLink also removes it.
func (w webSession) PendingLink() (verifiedIdentity, bool) {
	return decodeLink(w.sm.GetString(w.ctx, keyLink))
}

func (w webSession) PopPendingLink() (verifiedIdentity, bool) {
	return decodeLink(w.sm.PopString(w.ctx, keyLink))
}

// ForgetPendingLink removes the identity waiting to be linked.
func (w webSession) ForgetPendingLink() { w.sm.Remove(w.ctx, keyLink) }

func decodeLink(raw string) (verifiedIdentity, bool) {
	var id verifiedIdentity
	if raw == "" || json.Unmarshal([]byte(raw), &id) != nil {
		return id, false
	}
	return id, true
}

// SetLogoutReturn remembers the state an RP-initiated logout must bring
// back, the local page it then lands on, and when the browser left (a
// return without state is taken only shortly after); PopLogoutReturn
// takes them.
func (w webSession) SetLogoutReturn(state, done string, at time.Time) {
	w.sm.Put(w.ctx, keyLogout, state)
	w.sm.Put(w.ctx, keyLogoutDone, done)
	w.sm.Put(w.ctx, keyLogoutAt, strconv.FormatInt(at.Unix(), 10)) // a string: the codec is JSON
}

func (w webSession) PopLogoutReturn() (state, done string, at time.Time) {
	state, done = w.sm.PopString(w.ctx, keyLogout), w.sm.PopString(w.ctx, keyLogoutDone)
	if secs, err := strconv.ParseInt(w.sm.PopString(w.ctx, keyLogoutAt), 10, 64); err == nil && secs > 0 {
		at = time.Unix(secs, 0)
	}
	return state, done, at
}

// LastLookup is the lookup last shown in this session (its audit row's
// id); ok is false when there is none. Sessions written before keep
// "kind:number" there, which names no lookup: none.
func (w webSession) LastLookup() (id int64, ok bool) {
	kind, v, _ := strings.Cut(w.sm.GetString(w.ctx, keyLastPatient), ":")
	if kind != "lookup" {
		return 0, false
	}
	id, err := strconv.ParseInt(v, 10, 64)
	return id, err == nil && id > 0
}

// SetLastLookup records the lookup shown (a session write only when it
// changes).
func (w webSession) SetLastLookup(id int64) {
	if v := "lookup:" + strconv.FormatInt(id, 10); w.sm.GetString(w.ctx, keyLastPatient) != v {
		w.sm.Put(w.ctx, keyLastPatient, v)
	}
}

// ForgetLastLookup removes the lookup last shown.
func (w webSession) ForgetLastLookup() { w.sm.Remove(w.ctx, keyLastPatient) }

// draftTTL bounds how long a number typed when the session expired waits
// for the sign-in again: the anonymous session keeping it ends then too.
const draftTTL = 10 * time.Minute

// KeepDraft keeps the number account was typing when its session expired,
// in the anonymous session that follows, which ends draftTTL later unless
// signed in (patient data waits no longer than a sign-in).
func (w webSession) KeepDraft(account int64, number string, now time.Time) {
	w.sm.Put(w.ctx, keyDraft, strconv.FormatInt(account, 10)+":"+strconv.FormatInt(now.Unix(), 10)+":"+number)
	if d := now.Add(draftTTL); w.sm.Deadline(w.ctx).After(d) {
		w.sm.SetDeadline(w.ctx, d)
	}
}

// HasDraft says whether a typed number waits for the sign-in.
func (w webSession) HasDraft() bool { return w.sm.Exists(w.ctx, keyDraft) }

// PopDraft takes the number typed when the session expired, if it was
// account's and has not waited longer than draftTTL.
func (w webSession) PopDraft(account int64, now time.Time) (string, bool) {
	raw := w.sm.PopString(w.ctx, keyDraft)
	acct, rest, _ := strings.Cut(raw, ":")
	at, number, ok := strings.Cut(rest, ":")
	sec, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || acct != strconv.FormatInt(account, 10) || now.Sub(time.Unix(sec, 0)) > draftTTL || number == "" {
		return "", false
	}
	return number, true
}

// passkeyCeremony is a WebAuthn ceremony begun in this session: what it
// is for, and go-webauthn's state (which holds the challenge).
type passkeyCeremony struct {
	Purpose string `json:"p"`
	State   []byte `json:"s"`
}

// SetPasskeyCeremony keeps the state of a ceremony begun for purpose; a
// new one replaces any before it.
func (w webSession) SetPasskeyCeremony(purpose string, state []byte) error {
	b, err := json.Marshal(passkeyCeremony{Purpose: purpose, State: state})
	if err != nil {
		return err
	}
	w.sm.Put(w.ctx, keyPasskeyCeremony, string(b))
	return nil
}

// PopPasskeyCeremony takes the ceremony's state, which is then gone
// whatever its purpose: a challenge answers once. It is nil when none was
// begun for purpose.
func (w webSession) PopPasskeyCeremony(purpose string) []byte {
	var c passkeyCeremony
	raw := w.sm.PopString(w.ctx, keyPasskeyCeremony)
	if raw == "" || json.Unmarshal([]byte(raw), &c) != nil || c.Purpose != purpose {
		return nil
	}
	return c.State
}

// passkeyPending is a password sign-in waiting for its second step.
type passkeyPending struct {
	Account  int64  `json:"a"`
	ReturnTo string `json:"r"`
	Expires  int64  `json:"e"` // unix seconds
}

// SetPasskeyPending parks an account whose password was right until it
// shows one of its passkeys.
func (w webSession) SetPasskeyPending(p passkeyPending) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	w.sm.Put(w.ctx, keyPasskeyPending, string(b))
	return nil
}

// PasskeyPending is the sign-in waiting for its passkey, if any (whatever
// its expiry).
func (w webSession) PasskeyPending() (passkeyPending, bool) {
	var p passkeyPending
	raw := w.sm.GetString(w.ctx, keyPasskeyPending)
	if raw == "" || json.Unmarshal([]byte(raw), &p) != nil || p.Account == 0 {
		return p, false
	}
	return p, true
}

// ForgetPasskeyPending drops the sign-in waiting for its passkey.
func (w webSession) ForgetPasskeyPending() { w.sm.Remove(w.ctx, keyPasskeyPending) }

// MustRegisterPasskey says whether the signed-in account must register a
// passkey before anything else; SetMustRegisterPasskey sets or clears it.
func (w webSession) MustRegisterPasskey() bool {
	return w.sm.GetString(w.ctx, keyPasskeyRegister) == "1"
}

func (w webSession) SetMustRegisterPasskey(must bool) {
	if must {
		w.sm.Put(w.ctx, keyPasskeyRegister, "1")
	} else if w.MustRegisterPasskey() {
		w.sm.Remove(w.ctx, keyPasskeyRegister)
		w.sm.Remove(w.ctx, keyLastRights)
	}
}

// SetPushSignIn keeps the e-CPS push sign-in in flight (its auth_req_id
// sealed); PushSignIn reads it; ForgetPushSignIn drops it.
func (w webSession) SetPushSignIn(p pushSignIn) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	w.sm.Put(w.ctx, keyPushSignIn, string(b))
	return nil
}

func (w webSession) PushSignIn() (pushSignIn, bool) {
	var p pushSignIn
	raw := w.sm.GetString(w.ctx, keyPushSignIn)
	if raw == "" || json.Unmarshal([]byte(raw), &p) != nil || len(p.SealedReqID) == 0 {
		return pushSignIn{}, false
	}
	return p, true
}

func (w webSession) ForgetPushSignIn() { w.sm.Remove(w.ctx, keyPushSignIn) }

// LastRights is the sealed record of the French rights page last shown
// ("" when none); SetLastRights keeps one.
func (w webSession) LastRights() string { return w.sm.GetString(w.ctx, keyLastRights) }

func (w webSession) SetLastRights(sealed string) { w.sm.Put(w.ctx, keyLastRights, sealed) }

// SetWarning keeps a warning's message key for the next page that shows
// one (the identification page, Mes informations); PopWarning takes it.
func (w webSession) SetWarning(key string) { w.sm.Put(w.ctx, keyWarning, key) }
func (w webSession) PopWarning() string    { return w.sm.PopString(w.ctx, keyWarning) }

// SetHINDirectoryStep keeps the directory's authorization in flight; a
// new one replaces any before it.
func (w webSession) SetHINDirectoryStep(step hinDirectoryStep) error {
	b, err := json.Marshal(step)
	if err != nil {
		return err
	}
	w.sm.Put(w.ctx, keyHINStep, string(b))
	return nil
}

// HINDirectoryStep is the directory's authorization in flight, if any
// (whatever its expiry); ForgetHINDirectoryStep drops it.
func (w webSession) HINDirectoryStep() (hinDirectoryStep, bool) {
	var step hinDirectoryStep
	raw := w.sm.GetString(w.ctx, keyHINStep)
	if raw == "" || json.Unmarshal([]byte(raw), &step) != nil || step.State == "" {
		return hinDirectoryStep{}, false
	}
	return step, true
}

func (w webSession) ForgetHINDirectoryStep() { w.sm.Remove(w.ctx, keyHINStep) }

// SetHINProfile keeps what HIN's directory said of the signed-in
// professional (or why it could not be read); HINProfile reads it.
func (w webSession) SetHINProfile(p hinProfile) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	w.sm.Put(w.ctx, keyHINProfile, string(b))
	return nil
}

func (w webSession) HINProfile() (hinProfile, bool) {
	var p hinProfile
	raw := w.sm.GetString(w.ctx, keyHINProfile)
	if raw == "" || json.Unmarshal([]byte(raw), &p) != nil {
		return hinProfile{}, false
	}
	return p, true
}
