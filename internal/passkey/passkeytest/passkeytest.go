// Package passkeytest is a software authenticator for tests: it answers
// the options the portal hands to navigator.credentials.create and .get
// as a browser with a platform passkey would (ES256 key, attestation
// "none", user presence and verification, resident credentials), and
// lets a test turn each thing a real one could get wrong.
package passkeytest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
)

// Authenticator data flags (WebAuthn §6.1).
const (
	flagUP = 0x01
	flagUV = 0x04
	flagBE = 0x08
	flagBS = 0x10
	flagAT = 0x40
)

// Authenticator holds passkeys like a phone or a password manager. The
// exported fields change how it answers from the next call on.
type Authenticator struct {
	// Origin is what the "browser" puts in the client data: the page's
	// origin. A test sets another to play a phishing site.
	Origin string
	// NoUserVerification clears the UV flag (a key without a PIN).
	NoUserVerification bool
	// BackupEligible and BackedUp set the BE and BS flags (a synced
	// passkey has both).
	BackupEligible, BackedUp bool

	creds []*Credential
}

// Credential is one passkey the authenticator holds.
type Credential struct {
	ID         []byte
	RPID       string
	UserHandle []byte
	UserName   string
	// Counter is the signature counter; every assertion adds one first.
	// A test sets it lower to play a cloned key.
	Counter uint32
	key     *ecdsa.PrivateKey
}

// New returns an authenticator in a browser at origin.
func New(origin string) *Authenticator { return &Authenticator{Origin: origin} }

// Credentials lists the passkeys held, oldest first.
func (a *Authenticator) Credentials() []*Credential { return a.creds }

var b64 = base64.RawURLEncoding

// options are the fields of PublicKeyCredentialCreationOptions and
// ...RequestOptions that an authenticator reads.
type options struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
		RPID string `json:"rpId"`
		User struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"user"`
		ExcludeCredentials []descriptor   `json:"excludeCredentials"`
		AllowCredentials   []descriptor   `json:"allowCredentials"`
		Extensions         map[string]any `json:"extensions"`
	} `json:"publicKey"`
}

type descriptor struct {
	ID string `json:"id"`
}

// ErrExcluded: the options exclude a passkey this authenticator holds.
var ErrExcluded = errors.New("passkeytest: a credential here is excluded")

// ErrNoCredential: no passkey here fits the options.
var ErrNoCredential = errors.New("passkeytest: no credential for these options")

// Create answers creation options (the JSON the portal sends) with a new
// passkey, as the JSON the portal's script posts back.
func (a *Authenticator) Create(optionsJSON []byte) ([]byte, error) {
	var o options
	if err := json.Unmarshal(optionsJSON, &o); err != nil {
		return nil, err
	}
	pk := o.PublicKey
	for _, ex := range pk.ExcludeCredentials {
		for _, c := range a.creds {
			if ex.ID == b64.EncodeToString(c.ID) {
				return nil, ErrExcluded
			}
		}
	}
	handle, err := b64.DecodeString(pk.User.ID)
	if err != nil {
		return nil, fmt.Errorf("user id: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	c := &Credential{ID: random(16), RPID: pk.RP.ID, UserHandle: handle, UserName: pk.User.Name, key: key}
	coseKey, err := webauthncbor.Marshal(webauthncose.EC2PublicKeyData{
		PublicKeyData: webauthncose.PublicKeyData{KeyType: int64(webauthncose.EllipticKey), Algorithm: int64(webauthncose.AlgES256)},
		Curve:         1, // P-256
		XCoord:        key.X.FillBytes(make([]byte, 32)),
		YCoord:        key.Y.FillBytes(make([]byte, 32)),
	})
	if err != nil {
		return nil, err
	}
	var attested bytes.Buffer
	attested.Write(make([]byte, 16)) // AAGUID: none, as with attestation "none"
	_ = binary.Write(&attested, binary.BigEndian, uint16(len(c.ID)))
	attested.Write(c.ID)
	attested.Write(coseKey)
	authData := a.authData(c.RPID, flagAT, c.Counter, attested.Bytes())
	attestation, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": authData})
	if err != nil {
		return nil, err
	}
	clientData := a.clientData("webauthn.create", pk.Challenge)
	ext := map[string]any{}
	if _, ok := pk.Extensions["credProps"]; ok {
		ext["credProps"] = map[string]bool{"rk": true}
	}
	a.creds = append(a.creds, c)
	return json.Marshal(map[string]any{
		"id": b64.EncodeToString(c.ID), "rawId": b64.EncodeToString(c.ID), "type": "public-key",
		"authenticatorAttachment": "platform",
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(clientData),
			"attestationObject": b64.EncodeToString(attestation),
			"transports":        []string{"internal", "hybrid"},
		},
		"clientExtensionResults": ext,
	})
}

// Get answers request options with an assertion by the newest passkey
// that fits (one of allowCredentials, or any of the relying party's).
func (a *Authenticator) Get(optionsJSON []byte) ([]byte, error) {
	var o options
	if err := json.Unmarshal(optionsJSON, &o); err != nil {
		return nil, err
	}
	pk := o.PublicKey
	for i := len(a.creds) - 1; i >= 0; i-- {
		c := a.creds[i]
		if c.RPID != pk.RPID || !allowed(c, pk.AllowCredentials) {
			continue
		}
		return a.Assert(c, pk.Challenge)
	}
	return nil, ErrNoCredential
}

// Assert signs challenge (base64url, as in the options) with c, whatever
// the options allowed: a test uses it to present a credential the portal
// did not ask for.
func (a *Authenticator) Assert(c *Credential, challenge string) ([]byte, error) {
	c.Counter++
	authData := a.authData(c.RPID, 0, c.Counter, nil)
	clientData := a.clientData("webauthn.get", challenge)
	hash := sha256.Sum256(clientData)
	digest := sha256.Sum256(append(append([]byte{}, authData...), hash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, c.key, digest[:])
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"id": b64.EncodeToString(c.ID), "rawId": b64.EncodeToString(c.ID), "type": "public-key",
		"authenticatorAttachment": "platform",
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(clientData),
			"authenticatorData": b64.EncodeToString(authData),
			"signature":         b64.EncodeToString(sig),
			"userHandle":        b64.EncodeToString(c.UserHandle),
		},
		"clientExtensionResults": map[string]any{},
	})
}

func allowed(c *Credential, allow []descriptor) bool {
	if len(allow) == 0 {
		return true
	}
	for _, d := range allow {
		if d.ID == b64.EncodeToString(c.ID) {
			return true
		}
	}
	return false
}

func (a *Authenticator) authData(rpID string, extra byte, counter uint32, attested []byte) []byte {
	rpHash := sha256.Sum256([]byte(rpID))
	flags := flagUP | extra
	if !a.NoUserVerification {
		flags |= flagUV
	}
	if a.BackupEligible {
		flags |= flagBE
	}
	if a.BackedUp {
		flags |= flagBS
	}
	out := append([]byte{}, rpHash[:]...)
	out = append(out, flags)
	out = binary.BigEndian.AppendUint32(out, counter)
	return append(out, attested...)
}

func (a *Authenticator) clientData(typ, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": a.Origin, "crossOrigin": false})
	return b
}

func random(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
