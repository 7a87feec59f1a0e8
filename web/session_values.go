package web

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
)

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

func (w webSession) Identifier() string { return w.sm.GetString(w.ctx, keyIdent) }

func (w webSession) Authority() string { return w.sm.GetString(w.ctx, keyAuthority) }

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

func (w webSession) PopFlash() string { return w.sm.PopString(w.ctx, keyFlash) }

// HINID is the hin_id of a HIN sign-in ("" for another authority).
func (w webSession) HINID() string { return w.sm.GetString(w.ctx, keyHINID) }

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
