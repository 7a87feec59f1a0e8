package web

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/infopatient/infopatient/internal/psc"
)

// pendingPSCTokensAAD binds PSC tokens sealed in a pending link to that use.
const pendingPSCTokensAAD = "pending_link_psc_tokens"

// keepPSCTokens hands a PSC sign-in's access and refresh tokens to the
// TokenKeeper, which seals them beside the ID token in the record of the
// provider session (recordPSCSession has just written it), keyed by the
// session token signIn renewed. They never enter the cookie session; they
// go with the record at logout. A sign-in without tokens (or a portal
// without a keeper) keeps none: an action that needs them asks for a new
// e-CPS sign-in.
func (s *Server) keepPSCTokens(ctx context.Context, id verifiedIdentity) error {
	if s.PSCTokens == nil || id.PSCTokens == nil || id.PSCTokens.AccessToken == "" {
		return nil
	}
	return s.PSCTokens.Save(ctx, s.session(ctx).Token(), *id.PSCTokens)
}

// sealPendingPSCTokens seals the tokens of an identity about to wait for
// its account in the session.
func (s *Server) sealPendingPSCTokens(id *verifiedIdentity) error {
	if id.PSCTokens == nil || id.PSCTokens.AccessToken == "" {
		return nil
	}
	b, err := json.Marshal(id.PSCTokens)
	if err != nil {
		return err
	}
	id.SealedPSCTokens, err = s.Box.Seal(b, []byte(pendingPSCTokensAAD))
	id.PSCTokens = nil
	return err
}

// openPendingPSCTokens opens what sealPendingPSCTokens sealed. Tokens that
// no longer open (a key rotated meanwhile) are dropped: the sign-in goes
// on, and the first action needing them asks for e-CPS again.
func (s *Server) openPendingPSCTokens(ctx context.Context, id *verifiedIdentity) {
	if len(id.SealedPSCTokens) == 0 {
		return
	}
	var t psc.Tokens
	b, err := s.Box.Open(id.SealedPSCTokens, []byte(pendingPSCTokensAAD))
	if err == nil {
		err = json.Unmarshal(b, &t)
	}
	if err != nil {
		s.Logger.WarnContext(ctx, "pending pro santé connect tokens unreadable", slog.Any("err", err))
		return
	}
	id.PSCTokens, id.SealedPSCTokens = &t, nil
}
