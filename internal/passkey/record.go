package passkey

import (
	"encoding/json"
	"fmt"

	"github.com/go-webauthn/webauthn/webauthn"
)

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
