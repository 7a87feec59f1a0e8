package passkey

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-webauthn/webauthn/protocol"
)

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
