package pscsim_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

const cibaGrant = "urn:openid:params:grant-type:ciba"

// cibaCall posts a backchannel authentication request with client_secret_basic.
func (e *env) cibaCall(t *testing.T, v url.Values, id, sec string) (int, map[string]any) {
	t.Helper()
	status, m, _ := e.postForm(t, "/protocol/openid-connect/ext/ciba/auth", v, id, sec)
	return status, m
}

func cibaRequest(kv ...string) url.Values {
	return with(form("scope", "openid scope_all", "login_hint", virginie, "binding_message", "42", "channel", "MOBILE", "acr_values", "eidas1"), kv...)
}

// startCIBA starts a decoupled sign-in of virginie and returns its id.
func (e *env) startCIBA(t *testing.T, kv ...string) string {
	t.Helper()
	st, m := e.cibaCall(t, cibaRequest(kv...), clientID, secret)
	if st != http.StatusOK {
		t.Fatalf("ciba: %d %v", st, m)
	}
	return m["auth_req_id"].(string)
}

func (e *env) poll(t *testing.T, id string) (int, map[string]any) {
	t.Helper()
	st, m, _ := e.tokenCall(t, form("grant_type", cibaGrant, "auth_req_id", id), clientID, secret)
	return st, m
}

// ecpsAnswer posts the e-CPS app's form.
func (e *env) ecpsAnswer(t *testing.T, idNat, req, action string) page {
	t.Helper()
	return post(t, e.p.ECPSAppURL()+"?ui_locales=en", form("idnat", idNat, "req", req, "action", action))
}

func TestCIBAIsAdvertised(t *testing.T) {
	t.Parallel()
	e := start(t)
	var doc map[string]any
	_ = json.Unmarshal([]byte(discovery(t, e).body), &doc)
	if doc["backchannel_authentication_endpoint"] != e.issuer+"/protocol/openid-connect/ext/ciba/auth" ||
		joined(doc["backchannel_token_delivery_modes_supported"]) != "poll" ||
		!strings.Contains(joined(doc["grant_types_supported"]), cibaGrant) ||
		doc["introspection_endpoint"] != e.issuer+"/protocol/openid-connect/token/introspect" {
		t.Errorf("discovery %v", doc)
	}
}

func TestCIBARequestRefusals(t *testing.T) {
	t.Parallel()
	e := start(t)
	for _, tc := range []struct {
		name   string
		v      url.Values
		id     string
		status int
		code   string
	}{
		{"no client auth", cibaRequest(), "", 401, "invalid_client"},
		{"wrong secret", cibaRequest(), "wrong", 401, "invalid_client"},
		{"no openid", cibaRequest("scope", "scope_all"), clientID, 400, "invalid_scope"},
		{"no login_hint", cibaRequest("login_hint", ""), clientID, 400, "invalid_request"},
		{"unknown idNat", cibaRequest("login_hint", "899999999999"), clientID, 400, "unknown_user_id"},
		{"binding message of three digits", cibaRequest("binding_message", "123"), clientID, 400, "invalid_binding_message"},
		{"binding message of letters", cibaRequest("binding_message", "ab"), clientID, 400, "invalid_binding_message"},
		{"no binding message", cibaRequest("binding_message", ""), clientID, 400, "invalid_binding_message"},
		{"unknown channel", cibaRequest("channel", "SMS"), clientID, 400, "invalid_request"},
		{"acr eidas2", cibaRequest("acr_values", "eidas2"), clientID, 400, "invalid_request"},
		{"id_token_hint", cibaRequest("id_token_hint", "x"), clientID, 400, "invalid_request"},
	} {
		sec := secret
		if tc.id == "wrong" {
			tc.id, sec = clientID, "nope"
		}
		st, m := e.cibaCall(t, tc.v, tc.id, sec)
		if st != tc.status || m["error"] != tc.code {
			t.Errorf("%s: %d %v", tc.name, st, m)
		}
	}
	if pg := get(t, e.issuer+"/protocol/openid-connect/ext/ciba/auth"); pg.status != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", pg.status)
	}
}

// Pending, then slow_down for a poll within the interval (which grows by
// 5 s), then approval in the e-CPS app: the tokens of a sign-in, acr
// eidas1 for the app, eidas2 for a card, and the answered request gone.
func TestCIBAApprove(t *testing.T) {
	t.Parallel()
	e := start(t)
	st, m := e.cibaCall(t, cibaRequest(), clientID, secret)
	if st != 200 || m["expires_in"] != float64(120) || m["interval"] != float64(5) {
		t.Fatalf("start: %d %v", st, m)
	}
	id := m["auth_req_id"].(string)
	if st, m := e.poll(t, id); st != 400 || m["error"] != "authorization_pending" {
		t.Errorf("first poll: %d %v", st, m)
	}
	e.clock.Advance(2 * time.Second)
	if st, m := e.poll(t, id); st != 400 || m["error"] != "slow_down" {
		t.Errorf("early poll: %d %v", st, m)
	}
	e.clock.Advance(6 * time.Second) // past 5 s, but not the 10 s it became
	if st, m := e.poll(t, id); st != 400 || m["error"] != "slow_down" {
		t.Errorf("poll at 6 s after slow_down: %d %v", st, m)
	}
	e.clock.Advance(16 * time.Second)
	if st, m := e.poll(t, id); st != 400 || m["error"] != "authorization_pending" {
		t.Errorf("patient poll: %d %v", st, m)
	}
	// Another client cannot collect it.
	if st, m, _ := e.tokenCall(t, form("grant_type", cibaGrant, "auth_req_id", id), jwtClientID, secret); st != 400 || m["error"] != "invalid_grant" {
		t.Errorf("another client's poll: %d %v", st, m)
	}
	// Another identity's app cannot answer it.
	if pg := e.ecpsAnswer(t, "899700218904", id, "approve"); !strings.Contains(pg.body, `data-testid="ecps-error"`) {
		t.Errorf("another identity approved: %.300s", pg.body)
	}
	if pg := e.ecpsAnswer(t, virginie, id, "approve"); pg.status != 200 || !strings.Contains(pg.body, "Request approved") {
		t.Fatalf("approve: %d %.300s", pg.status, pg.body)
	}
	e.clock.Advance(6 * time.Second)
	st, tok := e.poll(t, id)
	if st != 200 {
		t.Fatalf("poll after approval: %d %v", st, tok)
	}
	claims, _, verified := e.inspect(t, tok["id_token"].(string))
	if !verified || claims["acr"] != "eidas1" || claims["authMode"] != "MOBILE" || claims["aud"] != clientID || claims["sid"] == "" || claims["nonce"] != nil {
		t.Errorf("ID token %v (verified %v)", claims, verified)
	}
	if pg := e.userinfo(t, tok["access_token"].(string)); pg.status != 200 || !strings.Contains(pg.body, "VIRGINIE") {
		t.Errorf("userinfo %d", pg.status)
	}
	if st, m := e.poll(t, id); st != 400 || m["error"] != "invalid_grant" {
		t.Errorf("second collection: %d %v", st, m)
	}
	// The session is listed and refreshes like any other.
	if len(e.p.Sessions()) != 1 {
		t.Errorf("sessions %v", e.p.Sessions())
	}
	if st, _, _ := e.tokenCall(t, form("grant_type", "refresh_token", "refresh_token", tok["refresh_token"].(string)), clientID, secret); st != 200 {
		t.Errorf("refresh: %d", st)
	}

	card := e.startCIBA(t, "channel", "CARD")
	e.ecpsAnswer(t, virginie, card, "approve")
	if st, tok := e.poll(t, card); st != 200 {
		t.Errorf("card: %d %v", st, tok)
	} else if claims, _, _ := e.inspect(t, tok["id_token"].(string)); claims["acr"] != "eidas2" || claims["authMode"] != "CARD" {
		t.Errorf("card ID token acr %v authMode %v", claims["acr"], claims["authMode"])
	}
}

// The CIBASlowDown fault answers the next poll slow_down however late it
// comes, and only that one.
func TestCIBASlowDownFault(t *testing.T) {
	t.Parallel()
	e := start(t)
	_, m := e.cibaCall(t, cibaRequest(), clientID, secret)
	id := m["auth_req_id"].(string)
	e.p.Misbehave(clientID, pscsim.CIBASlowDown, false)
	if st, m := e.poll(t, id); st != 400 || m["error"] != "slow_down" {
		t.Errorf("armed poll: %d %v", st, m)
	}
	e.clock.Advance(10 * time.Second)
	if st, m := e.poll(t, id); st != 400 || m["error"] != "authorization_pending" {
		t.Errorf("next poll, the interval kept: %d %v", st, m)
	}
}

func TestCIBARefuseAndExpire(t *testing.T) {
	t.Parallel()
	e := start(t)
	id := e.startCIBA(t)
	if pg := e.ecpsAnswer(t, virginie, id, "refuse"); !strings.Contains(pg.body, "Request refused") {
		t.Errorf("refuse: %.300s", pg.body)
	}
	if st, m := e.poll(t, id); st != 400 || m["error"] != "access_denied" {
		t.Errorf("refused: %d %v", st, m)
	}
	if pg := e.ecpsAnswer(t, virginie, id, "approve"); !strings.Contains(pg.body, `data-testid="ecps-error"`) {
		t.Error("a refused request was approved afterwards")
	}
	late := e.startCIBA(t)
	e.clock.Advance(121 * time.Second)
	if pg := e.ecpsAnswer(t, virginie, late, "approve"); !strings.Contains(pg.body, `data-testid="ecps-error"`) {
		t.Error("an expired request was approved")
	}
	if st, m := e.poll(t, late); st != 400 || m["error"] != "expired_token" {
		t.Errorf("expired: %d %v", st, m)
	}
	if st, m := e.poll(t, "unknown"); st != 400 || m["error"] != "invalid_grant" {
		t.Errorf("unknown: %d %v", st, m)
	}
}

// The e-CPS app lists the chosen identity's pending requests with their
// binding messages and means, in three languages.
func TestECPSAppPage(t *testing.T) {
	t.Parallel()
	e := start(t)
	e.startCIBA(t, "binding_message", "07", "channel", "CARD")
	e.clock.Advance(time.Second) // listed oldest first
	e.startCIBA(t, "binding_message", "93")
	for _, tc := range []struct{ lang, title, card, approve string }{
		{"fr", "Application e-CPS (simulée)", "Carte CPS", "Accepter"},
		{"de", "e-CPS-App (simuliert)", "CPS-Karte", "Bestätigen"},
		{"en", "e-CPS app (simulated)", "CPS card", "Approve"},
	} {
		pg := get(t, e.p.ECPSAppURL()+"?idnat="+virginie+"&ui_locales="+tc.lang)
		doc := parse(t, pg)
		if pg.status != 200 || strings.TrimSpace(doc.Find("h2").Text()) != tc.title {
			t.Fatalf("%s: %d %.300s", tc.lang, pg.status, pg.body)
		}
		reqs := doc.Find(`[data-testid="ecps-request"]`)
		if reqs.Length() != 2 || strings.TrimSpace(reqs.Eq(0).Find(`[data-testid="ecps-binding"]`).Text()) != "07" ||
			strings.TrimSpace(reqs.Eq(1).Find(`[data-testid="ecps-binding"]`).Text()) != "93" {
			t.Errorf("%s: requests %q", tc.lang, reqs.Text())
		}
		if strings.TrimSpace(reqs.Eq(0).Find(`[data-testid="ecps-channel"]`).Text()) != tc.card ||
			strings.TrimSpace(reqs.Eq(0).Find(`[data-testid="ecps-approve"]`).Text()) != tc.approve {
			t.Errorf("%s: %q", tc.lang, reqs.Eq(0).Text())
		}
		if csp := pg.header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self';") || strings.Contains(csp, "script-src") {
			t.Errorf("CSP %q", csp)
		}
	}
	if doc := parse(t, get(t, e.p.ECPSAppURL()+"?idnat=899700218904")); doc.Find(`[data-testid="ecps-none"]`).Length() != 1 {
		t.Error("another identity sees requests")
	}
	if doc := parse(t, get(t, e.p.ECPSAppURL())); doc.Find(`[data-testid="ecps-identity"] option`).Length() < 2 || doc.Find(`[data-testid="ecps-none"]`).Length() != 0 {
		t.Error("without an identity: no chooser, or a list")
	}
	if pg := e.ecpsAnswer(t, virginie, "nope", "approve"); !strings.Contains(pg.body, "no longer waiting") {
		t.Errorf("unknown request: %.300s", pg.body)
	}
}

// introspect posts a token to the introspection endpoint.
func (e *env) introspect(t *testing.T, id, sec string, kv ...string) (int, map[string]any) {
	t.Helper()
	status, m, _ := e.postForm(t, "/protocol/openid-connect/token/introspect", form(kv...), id, sec)
	return status, m
}

// A resource server (the context-sharing API) introspects the token a
// professional presents: active, exp, sub, SubjectNameID for an access
// token, client_id, scope; inactive once expired or the session ended.
func TestIntrospection(t *testing.T) {
	t.Parallel()
	const api, apiSecret = "context-api", "api-secret"
	e := start(t, func(c *pscsim.Config) {
		c.Clients = append(c.Clients, pscsim.Client{ID: api, Secret: apiSecret, ResourceServer: true})
	})
	tok := e.tokens(t, e.code(t))
	access, refresh := tok["access_token"].(string), tok["refresh_token"].(string)
	st, m := e.introspect(t, api, apiSecret, "token", access)
	if st != 200 || m["active"] != true || m["SubjectNameID"] != virginie || m["client_id"] != clientID ||
		m["scope"] != "openid scope_all" || m["sub"] == "" || m["exp"] == nil {
		t.Errorf("access: %d %v", st, m)
	}
	if st, m := e.introspect(t, api, apiSecret, "token", refresh, "token_type_hint", "refresh_token"); st != 200 || m["active"] != true || m["SubjectNameID"] != nil || m["token_type"] != "Refresh" {
		t.Errorf("refresh: %d %v", st, m)
	}
	if st, m := e.introspect(t, api, "wrong", "token", access); st != 401 || m["active"] != nil {
		t.Errorf("bad client: %d %v", st, m)
	}
	if st, _ := e.introspect(t, api, apiSecret); st != 400 {
		t.Errorf("no token: %d", st)
	}
	if st, m := e.introspect(t, api, apiSecret, "token", "unknown"); st != 200 || len(m) != 1 || m["active"] != false {
		t.Errorf("unknown: %d %v", st, m)
	}
	e.clock.Advance(121 * time.Second)
	if _, m := e.introspect(t, api, apiSecret, "token", access); m["active"] != false {
		t.Errorf("expired access token active: %v", m)
	}
	// A resource server signs nobody in.
	if st, _ := e.cibaCall(t, cibaRequest(), api, apiSecret); st != 401 {
		t.Errorf("resource server started a CIBA: %d", st)
	}
	// Its session ended, the refresh token is inactive.
	for _, sid := range e.p.Sessions() {
		_ = e.p.EndSession(t.Context(), sid)
	}
	if _, m := e.introspect(t, api, apiSecret, "token", refresh); m["active"] != false {
		t.Errorf("refresh token of an ended session: %v", m)
	}
}

func TestNoACRAndLogoutWithoutStateFaults(t *testing.T) {
	t.Parallel()
	e := start(t)
	e.p.Misbehave(clientID, pscsim.NoACR, false)
	claims, _, _ := e.inspect(t, e.signedIn(t))
	if _, has := claims["acr"]; has {
		t.Errorf("acr %v under NoACR", claims["acr"])
	}
	idToken := e.signedIn(t)
	if claims, _, _ := e.inspect(t, idToken); claims["acr"] != "eidas1" {
		t.Errorf("NoACR was not one-shot: %v", claims["acr"])
	}
	e.p.Misbehave(clientID, pscsim.LogoutWithoutState, false)
	pg := get(t, e.logoutURL("id_token_hint", idToken, "post_logout_redirect_uri", afterLogout, "state", "s1"))
	if u := pg.location(t); u.Query().Has("state") || !strings.HasPrefix(u.String(), afterLogout) {
		t.Errorf("redirect %s", u)
	}
	e.logoutToken(t)
	pg = get(t, e.logoutURL("id_token_hint", e.signedIn(t), "post_logout_redirect_uri", afterLogout, "state", "s2"))
	if pg.location(t).Query().Get("state") != "s2" {
		t.Error("state dropped without the fault")
	}
}
