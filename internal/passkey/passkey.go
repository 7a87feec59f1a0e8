// Package passkey is the portal's WebAuthn relying party, on
// github.com/go-webauthn/webauthn: it begins and finishes the ceremonies
// of registering a passkey and signing in with one, and says in typed
// errors why a response was refused. It keeps nothing itself: the
// ceremony's state goes back to the caller, who keeps it server-side with
// the session (so it works on every instance) and hands it back once; the
// credential records go to the caller's store.
package passkey

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
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

// MarshalRecord and UnmarshalRecord turn a credential record into what
// the store keeps, and back (go-webauthn's JSON form, which the library
// keeps readable across its versions).
func MarshalRecord(c webauthn.Credential) ([]byte, error) { return json.Marshal(c) }

func UnmarshalRecord(b []byte) (webauthn.Credential, error) {
	var c webauthn.Credential
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("passkey: stored record: %w", err)
	}
	return c, nil
}

func marshalCeremony(options any, session *webauthn.SessionData) ([]byte, []byte, error) {
	opts, err := json.Marshal(options)
	if err != nil {
		return nil, nil, err
	}
	state, err := json.Marshal(session)
	if err != nil {
		return nil, nil, err
	}
	return opts, state, nil
}

func unmarshalState(state []byte) (*webauthn.SessionData, error) {
	if len(state) == 0 {
		return nil, ErrNoCeremony
	}
	var s webauthn.SessionData
	if err := json.Unmarshal(state, &s); err != nil || s.Challenge == "" {
		return nil, ErrNoCeremony
	}
	return &s, nil
}

// checkExpiry refuses an old challenge before anything is parsed, so that
// the answer says "expired" rather than some later check's failure.
func checkExpiry(s *webauthn.SessionData) error {
	if s.Expires.IsZero() || time.Now().After(s.Expires) {
		return ErrExpired
	}
	return nil
}

// refusal keeps the library's reason (for the log) under ErrRefused, or
// ErrUnknownCredential when that is what it is.
func refusal(err error) error {
	var unknown *protocol.ErrorUnknownCredential
	if errors.As(err, &unknown) || errors.Is(err, ErrUnknownCredential) {
		return fmt.Errorf("%w: %s", ErrUnknownCredential, reason(err))
	}
	return fmt.Errorf("%w: %s", ErrRefused, reason(err))
}

// reason is the library's detail, safe to log: its type and details name
// the check that failed; its developer information, which may quote the
// challenge or the origin received, is left out.
func reason(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		return strings.TrimSpace(pe.Type + ": " + pe.Details)
	}
	return err.Error()
}
