package passkey

import (
	"fmt"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
)

// BeginSignIn returns the options for navigator.credentials.get (JSON)
// and the state to keep until FinishSignIn. With no user the browser may
// offer any passkey of this site (a discoverable sign-in, the login page's
// conditional UI); with a user, only that account's (a second step after
// the password, or the linking page).
func (rp *RP) BeginSignIn(u *User) (options, state []byte, err error) {
	var assertion *protocol.CredentialAssertion
	var session *webauthn.SessionData
	if u == nil {
		assertion, session, err = rp.w.BeginDiscoverableLogin()
	} else {
		if len(u.Credentials) == 0 {
			return nil, nil, ErrUnknownCredential
		}
		assertion, session, err = rp.w.BeginLogin(*u)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("passkey: begin sign-in: %w", err)
	}
	return marshalCeremony(assertion, session)
}

// FindUser returns the account that owns a passkey, by the credential id
// and the user handle: the one the authenticator returned in a
// discoverable sign-in, the account's own in a second step. It returns
// ErrUnknownCredential when no account has it.
type FindUser func(credentialID, userHandle []byte) (User, error)

// Verified is a sign-in that verified: the passkey's updated record
// (sign count, flags) to write back, and its count before, which the write
// must still find.
type Verified struct {
	User       User
	Credential webauthn.Credential
	// PreviousCount is the stored sign count the assertion was checked
	// against.
	PreviousCount uint32
}

// FinishSignIn verifies the browser's answer to BeginSignIn's options.
// A sign-count that did not go up is ErrCounter; the caller must then not
// store the record.
func (rp *RP) FinishSignIn(state, response []byte, find FindUser) (Verified, error) {
	session, err := unmarshalState(state)
	if err != nil {
		return Verified{}, err
	}
	if err := checkExpiry(session); err != nil {
		return Verified{}, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return Verified{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var user User
	var findErr error
	lookup := func(rawID, handle []byte) (webauthn.User, error) {
		user, findErr = find(rawID, handle)
		if findErr != nil {
			return nil, findErr
		}
		return user, nil
	}
	var cred *webauthn.Credential
	if len(session.UserID) == 0 {
		cred, err = rp.w.ValidateDiscoverableLogin(lookup, *session, parsed)
	} else {
		if _, err := lookup(parsed.RawID, session.UserID); err != nil {
			return Verified{}, findErr
		}
		cred, err = rp.w.ValidateLogin(user, *session, parsed)
	}
	if findErr != nil {
		return Verified{}, findErr
	}
	if err != nil {
		return Verified{}, refusal(err)
	}
	if cred.Authenticator.CloneWarning {
		return Verified{}, ErrCounter
	}
	var before uint32
	for _, c := range user.Credentials {
		if string(c.ID) == string(cred.ID) {
			before = c.Authenticator.SignCount
		}
	}
	return Verified{User: user, Credential: *cred, PreviousCount: before}, nil
}
