package passkey

import (
	"fmt"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
)

// BeginRegistration returns the options for navigator.credentials.create
// (JSON) and the state to keep until FinishRegistration. The account's
// passkeys are excluded, so one authenticator is not registered twice.
func (rp *RP) BeginRegistration(u User) (options, state []byte, err error) {
	creation, session, err := rp.w.BeginRegistration(u,
		webauthn.WithExclusions(webauthn.Credentials(u.Credentials).CredentialDescriptors()),
		webauthn.WithExtensions(webauthn.WithExtensionCredProps()))
	if err != nil {
		return nil, nil, fmt.Errorf("passkey: begin registration: %w", err)
	}
	return marshalCeremony(creation, session)
}

// FinishRegistration verifies the browser's answer to BeginRegistration's
// options and returns the credential record to store.
func (rp *RP) FinishRegistration(u User, state, response []byte) (webauthn.Credential, error) {
	session, err := unmarshalState(state)
	if err != nil {
		return webauthn.Credential{}, err
	}
	if err := checkExpiry(session); err != nil {
		return webauthn.Credential{}, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return webauthn.Credential{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	cred, err := rp.w.CreateCredential(u, *session, parsed)
	if err != nil {
		return webauthn.Credential{}, refusal(err)
	}
	return *cred, nil
}
