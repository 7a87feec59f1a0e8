// Package passkey is the portal's WebAuthn relying party, on
// github.com/go-webauthn/webauthn: it begins and finishes the ceremonies
// of registering a passkey and signing in with one, and says in typed
// errors why a response was refused. It keeps nothing itself: the
// ceremony's state goes back to the caller, who keeps it server-side with
// the session (so it works on every instance) and hands it back once; the
// credential records go to the caller's store.
package passkey

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
)

// Ceremony is how long a challenge is good for: the browser is told, and
// the finish refuses an older one.
const Ceremony = 5 * time.Minute

// Refusals of a response, for the caller to word and count. Every other
// error is a fault of the portal (a bad state, a store failure).
var (
	// ErrExpired: the challenge is older than Ceremony.
	ErrExpired = errors.New("passkey: challenge expired")
	// ErrNoCeremony: no challenge was pending (none begun, or already used).
	ErrNoCeremony = errors.New("passkey: no ceremony in progress")
	// ErrMalformed: the browser's answer does not parse.
	ErrMalformed = errors.New("passkey: malformed response")
	// ErrUnknownCredential: no account has this passkey (never registered,
	// removed, or another account's in a second step).
	ErrUnknownCredential = errors.New("passkey: unknown credential")
	// ErrCounter: the authenticator's sign count did not go up; the
	// passkey may have been copied.
	ErrCounter = errors.New("passkey: sign count went backwards")
	// ErrRefused: the response does not verify (origin, relying party,
	// challenge, signature, user verification, flags).
	ErrRefused = errors.New("passkey: response refused")
)

// RP is the relying party of one portal address.
type RP struct {
	w      *webauthn.WebAuthn
	rpID   string
	origin string
}

// New makes the relying party of the portal at baseURL (INFOPATIENT_BASE_URL):
// its host is the relying party id, its scheme, host and port the only
// origin accepted. name is what authenticators show beside the passkey.
//
// Browsers refuse an IP address as relying party id. A loopback address
// (the demo's default, http://127.0.0.1:8080) becomes localhost, where
// browsers allow passkeys over plain http: the pages then say to open
// the portal there. Any other address is refused.
func New(baseURL, name string) (*RP, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("passkey: base URL %q: want http(s)://host[:port]", baseURL)
	}
	rpID := u.Hostname()
	if ip := net.ParseIP(rpID); ip != nil {
		if !ip.IsLoopback() {
			return nil, fmt.Errorf("passkey: base URL %q: browsers allow passkeys on a host name, not an IP address", baseURL)
		}
		rpID = "localhost"
		if p := u.Port(); p != "" {
			u.Host = net.JoinHostPort(rpID, p)
		} else {
			u.Host = rpID
		}
	}
	origin := u.Scheme + "://" + u.Host
	timeout := webauthn.TimeoutConfig{Enforce: true, Timeout: Ceremony, TimeoutUVD: Ceremony}
	w, err := webauthn.New(&webauthn.Config{
		RPID:                  rpID,
		RPDisplayName:         name,
		RPOrigins:             []string{origin},
		AttestationPreference: protocol.PreferNoAttestation,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementRequired,
			RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification:   protocol.VerificationRequired,
		},
		Timeouts: webauthn.TimeoutsConfig{Login: timeout, Registration: timeout},
	})
	if err != nil {
		return nil, fmt.Errorf("passkey: %w", err)
	}
	return &RP{w: w, rpID: rpID, origin: origin}, nil
}

// ID is the relying party id (the portal's host name).
func (rp *RP) ID() string { return rp.rpID }

// Origin is the one origin accepted.
func (rp *RP) Origin() string { return rp.origin }

// User is a local account as WebAuthn sees it.
type User struct {
	// Handle is the account's random user handle (never the login).
	Handle []byte
	// Name identifies the account to its owner in the authenticator's list
	// (the login); DisplayName is the person's name.
	Name, DisplayName string
	// Credentials are the account's registered passkeys.
	Credentials []webauthn.Credential
}

func (u User) WebAuthnID() []byte                         { return u.Handle }
func (u User) WebAuthnName() string                       { return u.Name }
func (u User) WebAuthnDisplayName() string                { return u.DisplayName }
func (u User) WebAuthnCredentials() []webauthn.Credential { return u.Credentials }
