package pscsim

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"time"
)

// subject is PSC's sub, f:<uuid>:<idNat>: Keycloak's name for a user of a
// federated store, the uuid naming the store. It is the same uuid for
// every professional of a realm (as in real payloads), derived here from
// the issuer so that it survives restarts.
func (p *Provider) subject(idNat string) string {
	h := sha1.Sum([]byte("pscsim user federation " + p.cfg.Issuer))
	h[6] = (h[6] & 0x0f) | 0x50 // a name-based (v5-shaped) UUID
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("f:%x-%x-%x-%x-%x:%s", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16], idNat)
}

// atHash is the ID token's at_hash: the left half of the access token's
// SHA-256, base64url (OIDC core 3.1.3.6).
func atHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

func (p *Provider) idToken(c Client, g grant, accessToken string, now time.Time) (string, error) {
	faults := p.takeFaults(c.ID, atIDToken)
	claims := map[string]any{
		"iss": p.cfg.Issuer, "sub": p.subject(g.idNat), "aud": c.ID, "azp": c.ID,
		"exp": now.Add(idTokenTTL).Unix(), "iat": now.Unix(), "auth_time": g.authTime.Unix(),
		"acr": g.acr, "sid": g.sid, "session_state": g.sid, "preferred_username": g.idNat, "typ": "ID",
		"jti": newID(), "at_hash": atHash(accessToken),
	}
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	if g.authMode != "" {
		claims["authMode"] = g.authMode
	}
	applyIDTokenFaults(claims, faults, c.ID, g.acr, now)
	withKID := !faults[NoKID] && !faults[NoKIDSeveralKeys]
	tok, err := sign(p.signingKey(), claims, withKID, "JWT")
	if err == nil && faults[BadSignature] {
		tok = corrupt(tok)
	}
	return tok, err
}

// applyIDTokenFaults changes the claims as the armed faults say.
func applyIDTokenFaults(claims map[string]any, faults map[Fault]bool, clientID, acr string, now time.Time) {
	if faults[WrongIssuer] {
		claims["iss"] = "https://auth.esw.esante.gouv.fr/auth/realms/another-realm"
	}
	if faults[WrongAudience] {
		claims["aud"], claims["azp"] = "another-client", "another-client"
	}
	if faults[MissingAudience] {
		delete(claims, "aud")
	}
	if faults[ForeignAuthorizedParty] {
		claims["aud"], claims["azp"] = []string{clientID, "another-client"}, "another-client"
	}
	if faults[MissingSub] {
		delete(claims, "sub")
	}
	if faults[MissingIAT] {
		delete(claims, "iat")
	}
	if faults[WrongNonce] {
		claims["nonce"] = "not-the-nonce-you-sent"
	}
	if faults[ExpiredIDToken] {
		claims["iat"], claims["exp"] = now.Add(-2*idTokenTTL).Unix(), now.Add(-idTokenTTL).Unix()
	}
	if faults[NoACR] {
		delete(claims, "acr") // as PSC sent in 2023 (keycloak-prosanteconnect#6)
	}
	i := slices.Index(acrLevels, acr)
	switch {
	case faults[LowACR] && i > 0:
		claims["acr"] = acrLevels[i-1]
	case faults[LowACR]:
		claims["acr"] = "eidas0"
	case faults[HighACR] && i < len(acrLevels)-1:
		claims["acr"] = acrLevels[i+1]
	}
}
