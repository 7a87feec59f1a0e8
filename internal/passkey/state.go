package passkey

import (
	"encoding/json"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"
)

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
