package pscsim

import (
	"net/http"

	"github.com/infopatient/infopatient/internal/sandbox/internal/misbehave"
)

// Fault makes the provider misbehave, for the relying party's tests (the
// OpenID Foundation's RP certification cases and PSC's own quirks).
type Fault int

// Faults. Those on the ID token apply at the token endpoint; those on
// discovery and the JWKS apply whatever client they were armed for, since
// those documents are fetched anonymously.
const (
	WrongIssuer            Fault = iota + 1 // ID token iss is another provider's
	WrongAudience                           // aud (and azp) is another client
	MissingAudience                         // no aud at all
	ForeignAuthorizedParty                  // aud lists this client and another, azp names the other
	BadSignature                            // the ID token's signature does not verify
	NoKID                                   // no kid in the ID token header
	NoKIDSeveralKeys                        // no kid, and a second key published in the JWKS
	MissingSub                              // ID token without sub
	MissingIAT                              // ID token without iat
	WrongNonce                              // nonce is not the one sent
	ExpiredIDToken                          // exp in the past
	LowACR                                  // acr one level below the one asked for
	HighACR                                 // acr one level above the one asked for
	UserinfoSubMismatch                     // userinfo sub differs from the ID token's
	UserinfoBadSignature                    // signed userinfo whose signature does not verify
	UserinfoWrongAudience                   // signed userinfo for another client
	SlowDiscovery                           // discovery answers after SlowDelay
	SlowToken                               // the token endpoint answers after SlowDelay
	SlowUserinfo                            // userinfo answers after SlowDelay
	DiscoveryServerError                    // 500 at discovery
	JWKSServerError                         // 500 at the JWKS
	TokenServerError                        // 500 at the token endpoint
	UserinfoServerError                     // 503 at userinfo
	DiscoveryGarbage                        // 200 at discovery with a body that is not JSON
	TokenGarbage                            // 200 at the token endpoint with a body that is not JSON
	UserinfoGarbage                         // 200 at userinfo with a body that is neither JSON nor a JWT
	NoACR                                   // ID token without acr, as PSC sent in 2023
	LogoutWithoutState                      // the post-logout redirect drops state
	// ExpiryBackchannel posts a logout token when a session merely
	// expires: the simulator's old behaviour, which Keycloak (so PSC) does
	// not have — it sends one on an explicit logout only.
	ExpiryBackchannel
	// CIBASlowDown takes the next poll of a decoupled sign-in for one too
	// soon: slow_down, and the interval 5 s longer, as PSC answers a
	// client that polls faster than told (the portal's two tabs, say).
	CIBASlowDown
)

var faultNames = map[Fault]string{
	WrongIssuer: "WrongIssuer", WrongAudience: "WrongAudience", MissingAudience: "MissingAudience",
	ForeignAuthorizedParty: "ForeignAuthorizedParty", BadSignature: "BadSignature", NoKID: "NoKID",
	NoKIDSeveralKeys: "NoKIDSeveralKeys", MissingSub: "MissingSub", MissingIAT: "MissingIAT",
	WrongNonce: "WrongNonce", ExpiredIDToken: "ExpiredIDToken", LowACR: "LowACR", HighACR: "HighACR",
	UserinfoSubMismatch: "UserinfoSubMismatch", UserinfoBadSignature: "UserinfoBadSignature",
	UserinfoWrongAudience: "UserinfoWrongAudience", SlowDiscovery: "SlowDiscovery", SlowToken: "SlowToken",
	SlowUserinfo: "SlowUserinfo", DiscoveryServerError: "DiscoveryServerError", JWKSServerError: "JWKSServerError",
	TokenServerError: "TokenServerError", UserinfoServerError: "UserinfoServerError",
	DiscoveryGarbage: "DiscoveryGarbage", TokenGarbage: "TokenGarbage", UserinfoGarbage: "UserinfoGarbage",
	NoACR: "NoACR", LogoutWithoutState: "LogoutWithoutState", ExpiryBackchannel: "ExpiryBackchannel",
	CIBASlowDown: "CIBASlowDown",
}

func (f Fault) String() string {
	if n, ok := faultNames[f]; ok {
		return n
	}
	return "Fault(?)"
}

// stage is where a fault takes effect.
type stage int

const (
	atDiscovery stage = iota
	atJWKS
	atToken
	atIDToken
	atUserinfo
	atLogout
	atExpiry
	atCIBAPoll
)

func (f Fault) stage() stage {
	switch f {
	case DiscoveryServerError, DiscoveryGarbage, SlowDiscovery:
		return atDiscovery
	case JWKSServerError:
		return atJWKS
	case SlowToken, TokenServerError, TokenGarbage:
		return atToken
	case UserinfoServerError, UserinfoGarbage, SlowUserinfo, UserinfoSubMismatch, UserinfoBadSignature, UserinfoWrongAudience:
		return atUserinfo
	case LogoutWithoutState:
		return atLogout
	case ExpiryBackchannel:
		return atExpiry
	case CIBASlowDown:
		return atCIBAPoll
	}
	return atIDToken
}

// anonymous stages are fetched without naming a client.
func (s stage) anonymous() bool { return s == atDiscovery || s == atJWKS }

// Misbehave arms f for clientID ("" for any client). A sticky fault stays
// until Behave; otherwise it applies to the next matching answer only.
func (p *Provider) Misbehave(clientID string, f Fault, sticky bool) {
	if f.stage().anonymous() {
		clientID = ""
	}
	p.faults.ArmFor(clientID, f, sticky)
	if f == NoKIDSeveralKeys {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.extraKey == nil {
			if k, err := generateKey(); err == nil {
				p.extraKey = &k
			}
		}
	}
}

// Behave disarms every fault.
func (p *Provider) Behave() {
	p.faults.Reset()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.extraKey = nil
}

// takeFaults returns the faults of clientID (and those armed for any
// client) at stage st, consuming the one-shot ones.
func (p *Provider) takeFaults(clientID string, st stage) map[Fault]bool {
	return p.faults.Take(clientID, func(f Fault) bool { return f.stage() == st })
}

// failWith answers a failing request when one of faults says so; it
// reports whether it did. A slow answer comes late, then normally, unless
// the caller gave up first.
func (p *Provider) failWith(w http.ResponseWriter, r *http.Request, faults map[Fault]bool) bool {
	if faults[SlowDiscovery] || faults[SlowToken] || faults[SlowUserinfo] {
		if !misbehave.Delay(r.Context(), p.cfg.SlowDelay) {
			return true
		}
	}
	switch {
	case faults[DiscoveryServerError], faults[JWKSServerError], faults[TokenServerError]:
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return true
	case faults[UserinfoServerError]:
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return true
	case faults[DiscoveryGarbage], faults[TokenGarbage], faults[UserinfoGarbage]:
		// What a misconfigured proxy answers: HTML labelled as JSON.
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("<html><body>maintenance</body></html>"))
		return true
	}
	return false
}
