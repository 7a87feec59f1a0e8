package pscsim

import (
	"net/http"
	"time"
)

// Fault makes the provider misbehave, for the relying party's tests (the
// OpenID Foundation's RP certification cases and PSC's own quirks).
type Fault int

// Faults. Those on the ID token apply at the token endpoint.
const (
	WrongIssuer          Fault = iota + 1 // ID token iss is another provider's
	WrongAudience                         // aud is another client
	MissingAudience                       // no aud at all
	BadSignature                          // the signature does not verify
	NoKID                                 // no kid in the header, one key published
	NoKIDSeveralKeys                      // no kid, and a second key published
	MissingSub                            // no sub
	MissingIAT                            // no iat
	WrongNonce                            // nonce is not the one sent
	ExpiredIDToken                        // exp in the past
	LowACR                                // acr below the level asked for
	UserinfoSubMismatch                   // userinfo sub differs from the ID token's
	Slow                                  // the token answer is late (SlowDelay)
	TokenServerError                      // 500 at the token endpoint
	TokenGarbage                          // 200 with a body that is not JSON
	UserinfoServerError                   // 503 at userinfo
	DiscoveryServerError                  // 500 at discovery
)

type fault struct {
	f      Fault
	sticky bool
}

// where a fault takes effect.
type stage int

const (
	atDiscovery stage = iota
	atToken
	atIDToken
	atUserinfo
)

func (f Fault) stage() stage {
	switch f {
	case DiscoveryServerError:
		return atDiscovery
	case Slow, TokenServerError, TokenGarbage:
		return atToken
	case UserinfoServerError, UserinfoSubMismatch:
		return atUserinfo
	}
	return atIDToken
}

// Misbehave arms f for clientID ("" for any client). A sticky fault stays
// until Behave; otherwise it applies to the next matching answer only.
func (p *Provider) Misbehave(clientID string, f Fault, sticky bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults[clientID] = append(p.faults[clientID], fault{f: f, sticky: sticky})
	if f == NoKIDSeveralKeys && p.extraKID == nil {
		if k, err := generateKey(); err == nil {
			p.extraKID = &k
		}
	}
}

// Behave disarms every fault.
func (p *Provider) Behave() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = map[string][]fault{}
	p.extraKID = nil
}

// takeFaults returns the faults of clientID at stage st, consuming the
// one-shot ones.
func (p *Provider) takeFaults(clientID string, st stage) map[Fault]bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[Fault]bool{}
	for _, id := range []string{clientID, ""} {
		kept := p.faults[id][:0]
		for _, f := range p.faults[id] {
			if f.f.stage() == st {
				out[f.f] = true
				if !f.sticky {
					continue
				}
			}
			kept = append(kept, f)
		}
		p.faults[id] = kept
		if clientID == "" {
			break
		}
	}
	return out
}

// failWith answers a failing request when one of faults says so; it
// reports whether it did.
func (p *Provider) failWith(w http.ResponseWriter, r *http.Request, faults map[Fault]bool) bool {
	switch {
	case faults[Slow]:
		select {
		case <-time.After(p.cfg.SlowDelay):
		case <-r.Context().Done():
			return true
		}
	case faults[TokenServerError], faults[DiscoveryServerError]:
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return true
	case faults[UserinfoServerError]:
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return true
	case faults[TokenGarbage]:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("<html>maintenance</html>"))
		return true
	}
	return false
}
