package web

import (
	"encoding/json"
)

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

func (w webSession) PopWarning() string { return w.sm.PopString(w.ctx, keyWarning) }

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
