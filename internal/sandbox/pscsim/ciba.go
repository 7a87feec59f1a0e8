package pscsim

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
)

// cibaGrant is the token endpoint's grant type for a decoupled sign-in
// (OpenID Connect CIBA Core 1.0, 10.1).
const cibaGrant = "urn:openid:params:grant-type:ciba"

// maxCIBA bounds decoupled sign-ins waiting, as maxPending does.
const maxCIBA = 10000

// bindingMessage is PSC's binding message: two digits, shown by the
// relying party and by the e-CPS app, so that the professional approves
// the request he started (authorities-today §1.7).
var bindingMessage = regexp.MustCompile(`^[0-9]{2}$`)

// cibaState is where a decoupled sign-in stands.
type cibaState int

const (
	cibaPending cibaState = iota
	cibaApproved
	cibaDenied
)

// cibaRequest is a decoupled sign-in waiting for the professional (CIBA
// poll mode): started by the client, approved or refused in the e-CPS
// app, collected by the client's polls of the token endpoint.
type cibaRequest struct {
	id, clientID, idNat, binding, channel, acr string
	state                                      cibaState
	created, expires                           time.Time
	// interval is the least time between polls; slow_down adds 5 s
	// (CIBA Core 11).
	interval time.Duration
	lastPoll time.Time
	// approvedAt is the professional's authentication time.
	approvedAt time.Time
}

// serveCIBA is the backchannel authentication endpoint: it checks the
// client (as the token endpoint does) and the request, and answers an
// auth_req_id for the client to poll with.
func (p *Provider) serveCIBA(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		tokenError(w, http.StatusMethodNotAllowed, "invalid_request", "POST only")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "malformed form")
		return
	}
	c, ok := p.authenticate(r)
	if !ok || c.ResourceServer {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	cr, code, desc := p.parseCIBA(r.PostForm)
	if code != "" {
		tokenError(w, http.StatusBadRequest, code, desc)
		return
	}
	now := p.cfg.Now()
	cr.id, cr.clientID, cr.created = newID(), c.ID, now
	cr.expires, cr.interval = now.Add(p.cfg.CIBAExpiry), p.cfg.CIBAInterval
	p.mu.Lock()
	ended := p.sweepLocked()
	full := len(p.ciba) >= maxCIBA
	if !full {
		p.ciba[cr.id] = cr
	}
	p.mu.Unlock()
	p.notifyEnded(ended)
	if full {
		tokenError(w, http.StatusServiceUnavailable, "temporarily_unavailable", "too many decoupled sign-ins waiting")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"auth_req_id": cr.id,
		"expires_in":  int(p.cfg.CIBAExpiry.Seconds()),
		"interval":    int(cr.interval.Seconds()),
	})
}

// parseCIBA reads a backchannel authentication request as PSC takes it:
// scope with openid, login_hint the professional's idNat, a two-digit
// binding_message, channel CARD or MOBILE, acr_values eidas1 (or none).
// It answers the request, or the CIBA error code and its description.
func (p *Provider) parseCIBA(f map[string][]string) (cr *cibaRequest, code, desc string) {
	get := func(k string) string {
		if v := f[k]; len(v) == 1 {
			return v[0]
		}
		return ""
	}
	for _, k := range []string{"id_token_hint", "login_hint_token"} {
		if len(f[k]) > 0 {
			return nil, "invalid_request", "only login_hint names the professional"
		}
	}
	acr := strings.Fields(get("acr_values"))
	if len(acr) == 0 {
		acr = []string{"eidas1"}
	}
	hint, binding, channel := get("login_hint"), get("binding_message"), get("channel")
	switch {
	case !slices.Contains(strings.Fields(get("scope")), "openid"):
		return nil, "invalid_scope", "scope must contain openid"
	case hint == "":
		return nil, "invalid_request", "login_hint (the professional's idNat) is required"
	case !bindingMessage.MatchString(binding):
		return nil, "invalid_binding_message", "binding_message must be two digits"
	case channel != "CARD" && channel != "MOBILE":
		return nil, "invalid_request", "channel must be CARD or MOBILE"
	case acr[0] != "eidas1":
		return nil, "invalid_request", "unsupported acr_values"
	}
	if _, known := p.pros[hint]; !known {
		return nil, "unknown_user_id", "no professional has this idNat"
	}
	return &cibaRequest{idNat: hint, binding: binding, channel: channel, acr: acr[0]}, "", ""
}

// pollCIBA answers a poll of the token endpoint: authorization_pending
// while the professional has not answered, slow_down when the client
// polls faster than the interval, expired_token past its expiry,
// access_denied once refused, and the tokens once approved — the same
// tokens as the redirect flow, with acr eidas2 for a card and eidas1 for
// the app (authorities-today §1.2). An answered request is consumed.
func (p *Provider) pollCIBA(w http.ResponseWriter, r *http.Request, c Client) {
	id := r.PostForm.Get("auth_req_id")
	now := p.cfg.Now()
	forcedSlowDown := p.takeFaults(c.ID, atCIBAPoll)[CIBASlowDown]
	p.mu.Lock()
	cr, ok := p.ciba[id]
	if !ok || cr.clientID != c.ID {
		p.mu.Unlock()
		tokenError(w, http.StatusBadRequest, "invalid_grant", "unknown auth_req_id")
		return
	}
	tooSoon := forcedSlowDown || !cr.lastPoll.IsZero() && now.Sub(cr.lastPoll) < cr.interval
	cr.lastPoll = now
	state := cr.state
	expired := now.After(cr.expires)
	if expired || state != cibaPending {
		delete(p.ciba, id)
	}
	if tooSoon && state == cibaPending && !expired {
		cr.interval += 5 * time.Second
	}
	var g grant
	if state == cibaApproved && !expired {
		sid := newID()
		p.sessions[sid] = p.newSession(sid, cr.idNat, c.ID, now, true)
		acr := "eidas1"
		if cr.channel == "CARD" {
			acr = "eidas2"
		}
		g = grant{clientID: c.ID, idNat: cr.idNat, sid: sid, acr: acr, family: id, authMode: cr.channel, authTime: cr.approvedAt}
	}
	p.mu.Unlock()
	switch {
	case expired:
		tokenError(w, http.StatusBadRequest, "expired_token", "the decoupled sign-in expired")
	case state == cibaDenied:
		tokenError(w, http.StatusBadRequest, "access_denied", "the professional refused")
	case state == cibaApproved:
		p.issue(w, c, g)
	case tooSoon:
		tokenError(w, http.StatusBadRequest, "slow_down", "poll less often")
	default:
		tokenError(w, http.StatusBadRequest, "authorization_pending", "the professional has not answered yet")
	}
}

// ecpsRow is a pending decoupled sign-in as the e-CPS app shows it.
type ecpsRow struct {
	ID, Client, Binding, Channel, Expires string
}

// serveECPSApp is the simulator's e-CPS app: GET ?idnat= lists the
// pending requests of that identity with their binding messages; POST
// req and action (approve, refuse) answers one.
func (p *Provider) serveECPSApp(w http.ResponseWriter, r *http.Request) {
	lang := pagelang.Pick(r.Header.Get("Accept-Language"), r.URL.Query().Get("ui_locales"))
	idNat := r.URL.Query().Get("idnat")
	var msgKey, errKey string
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodPost:
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		idNat = r.PostForm.Get("idnat")
		msgKey, errKey = p.answerCIBA(r.PostForm.Get("req"), idNat, r.PostForm.Get("action"))
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if _, known := p.pros[idNat]; !known {
		idNat = ""
	}
	p.renderECPSApp(w, r, lang, idNat, msgKey, errKey)
}

// answerCIBA approves or refuses a pending request of idNat; it returns
// the message or error key to show.
func (p *Provider) answerCIBA(id, idNat, action string) (msgKey, errKey string) {
	now := p.cfg.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	cr, ok := p.ciba[id]
	switch {
	case !ok || cr.idNat != idNat || cr.state != cibaPending || now.After(cr.expires):
		return "", "ecps.gone"
	case action == "approve":
		cr.state, cr.approvedAt = cibaApproved, now
		return "ecps.approved", ""
	case action == "refuse":
		cr.state = cibaDenied
		return "ecps.refused", ""
	}
	return "", "ecps.gone"
}

// pendingCIBA lists idNat's requests still waiting, oldest first.
func (p *Provider) pendingCIBA(idNat string) []cibaRequest {
	now := p.cfg.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []cibaRequest
	for _, cr := range p.ciba {
		if cr.idNat == idNat && cr.state == cibaPending && !now.After(cr.expires) {
			out = append(out, *cr)
		}
	}
	slices.SortFunc(out, func(a, b cibaRequest) int {
		if c := a.created.Compare(b.created); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	return out
}
