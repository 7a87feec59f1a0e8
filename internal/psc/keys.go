package psc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

// keySet is go-oidc's remote key set (it fetches the JWKS again when a
// token names an unknown key, so key rotation is followed), noting when
// the keys could not be fetched at all. go-oidc's verifier flattens that
// into a "bad signature" message; the note lets the portal say "Pro Santé
// Connect is unavailable" rather than "sign-in refused".
type keySet struct {
	remote *oidc.RemoteKeySet
}

type keyFetchNoteKey struct{}

// keyFetchNote records, for one verification, why the keys could not be had.
type keyFetchNote struct{ err error }

func (k *keySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	payload, err := k.remote.VerifySignature(ctx, jwt)
	// go-oidc wraps (%w) only the failure to fetch the keys; a signature
	// that does not verify, or a malformed token, is a plain error.
	if err != nil && errors.Unwrap(err) != nil {
		if note, ok := ctx.Value(keyFetchNoteKey{}).(*keyFetchNote); ok {
			note.err = err
		}
	}
	return payload, err
}

// noting returns a context on which keySet leaves its note.
func noting(ctx context.Context) (context.Context, *keyFetchNote) {
	note := &keyFetchNote{}
	return context.WithValue(ctx, keyFetchNoteKey{}, note), note
}

// verificationError is ErrUnavailable when the keys could not be fetched,
// ErrRejected otherwise.
func verificationError(what string, note *keyFetchNote, err error) error {
	if note.err != nil {
		return fmt.Errorf("%w: %s: the provider's keys could not be fetched: %s", ErrUnavailable, what, clipN(scrubURL(errors.Unwrap(note.err)).Error(), 160))
	}
	return fmt.Errorf("%w: %s: %v", ErrRejected, what, err)
}

// verifySignedUserinfo checks a userinfo answered as a JWT: RS256 only,
// signed by a key of the provider, and, when present (OpenID Connect Core
// 5.3.2 says SHOULD), iss naming the provider, aud naming this client and
// exp in the future.
func (c *Client) verifySignedUserinfo(ctx context.Context, ep *endpoints, raw string) ([]byte, error) {
	if _, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.RS256}); err != nil {
		return nil, fmt.Errorf("%w: signed userinfo: not an RS256 JWS", ErrRejected)
	}
	ctx, note := noting(ctx)
	payload, err := ep.keys.VerifySignature(ctx, raw)
	if err != nil {
		return nil, verificationError("signed userinfo", note, err)
	}
	var claims struct {
		Iss *string   `json:"iss"`
		Aud *audience `json:"aud"`
		Exp *float64  `json:"exp"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return nil, fmt.Errorf("%w: signed userinfo claims: %v", ErrRejected, err)
	}
	switch {
	case claims.Iss != nil && *claims.Iss != c.cfg.Issuer:
		return nil, fmt.Errorf("%w: signed userinfo issued by %q", ErrRejected, clip(*claims.Iss))
	case claims.Aud != nil && !slices.Contains(*claims.Aud, c.cfg.ClientID):
		return nil, fmt.Errorf("%w: signed userinfo for another audience", ErrRejected)
	case claims.Exp != nil && c.cfg.Now().After(time.Unix(int64(*claims.Exp), 0)):
		return nil, fmt.Errorf("%w: signed userinfo expired", ErrRejected)
	}
	return payload, nil
}

// audience is a JWT aud: one string or an array.
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("aud is neither a string nor an array of strings")
	}
	*a = many
	return nil
}
