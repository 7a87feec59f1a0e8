package pscsim_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// verifyLogout checks a logout token as a client would.
func (e *env) verifyLogout(t *testing.T, lt string) *oidc.LogoutToken {
	t.Helper()
	ctx := context.Background()
	v := oidc.NewVerifier(e.issuer, oidc.NewRemoteKeySet(ctx, e.issuer+"/protocol/openid-connect/certs"), &oidc.Config{ClientID: clientID, Now: e.clock.Now})
	logout, err := v.VerifyLogout(ctx, lt)
	if err != nil {
		t.Fatal(err)
	}
	return logout
}

// A session that simply expires ends without a word to its client:
// Keycloak, which runs PSC, posts a logout token on an explicit logout
// only. Its refresh token is refused from then on.
func TestExpiredSessionSendsNoBackchannel(t *testing.T) {
	t.Parallel()
	e := start(t)
	tok := e.tokens(t, e.code(t))
	e.clock.Advance(31 * time.Minute) // past the 30 idle minutes
	e.pendingID(t, authRequest())     // a new sign-in sweeps
	if pg := get(t, e.p.SessionsURL()); !strings.Contains(pg.body, `data-testid="psc-sessions-none"`) {
		t.Errorf("the expired session is on the page: %.500s", pg.body)
	}
	if st, _, _ := e.tokenCall(t, form("grant_type", "refresh_token", "refresh_token", tok["refresh_token"].(string)), clientID, secret); st != 400 {
		t.Errorf("refresh after expiry: %d", st)
	}
	select {
	case lt := <-e.backchannel:
		t.Errorf("a logout token on expiry: %q", lt)
	case <-time.After(200 * time.Millisecond):
	}
}

// The old behaviour, a logout token on expiry, stays as a fault, for the
// portal's tests of a provider that does so.
func TestExpiryBackchannelFault(t *testing.T) {
	t.Parallel()
	e := start(t)
	e.p.Misbehave(clientID, pscsim.ExpiryBackchannel, true)
	tok := e.tokens(t, e.code(t))
	idClaims, _, _ := e.inspect(t, tok["id_token"].(string))
	e.clock.Advance(31 * time.Minute)
	e.pendingID(t, authRequest())
	logout := e.verifyLogout(t, e.logoutToken(t))
	if logout.SessionID != idClaims["sid"] || logout.Subject != idClaims["sub"] {
		t.Errorf("logout token %+v", logout)
	}
	if len(e.p.Sessions()) != 0 {
		t.Error("the expired session is still listed")
	}
}

// PSC's SSO session: 30 minutes without use end it, each refresh is a
// use, and 4 hours end it whatever the use.
func TestSessionLifetimesIdleAndAbsolute(t *testing.T) {
	t.Parallel()
	e := start(t)
	tok := e.tokens(t, e.code(t))
	if tok["expires_in"] != float64(120) || tok["refresh_expires_in"] != float64(1800) {
		t.Errorf("lifetimes %v %v", tok["expires_in"], tok["refresh_expires_in"])
	}
	rt := tok["refresh_token"].(string)
	refresh := func() (int, map[string]any) {
		st, m, _ := e.tokenCall(t, form("grant_type", "refresh_token", "refresh_token", rt), clientID, secret)
		if st == 200 {
			rt = m["refresh_token"].(string)
		}
		return st, m
	}
	// Used every 25 minutes, the session outlives its first 30 minutes...
	for i := range 9 { // 9 × 25 min = 3 h 45
		e.clock.Advance(25 * time.Minute)
		if st, m := refresh(); st != 200 {
			t.Fatalf("refresh %d at %d min: %d %v", i, (i+1)*25, st, m)
		}
	}
	if len(e.p.Sessions()) != 1 {
		t.Errorf("sessions %v", e.p.Sessions())
	}
	// ...and its last refresh token does not go past the 4 hours.
	e.clock.Advance(14 * time.Minute) // 3 h 59
	st, m := refresh()
	if st != 200 || m["refresh_expires_in"].(float64) > 60 {
		t.Fatalf("refresh at 3 h 59: %d %v", st, m)
	}
	e.clock.Advance(2 * time.Minute) // 4 h 01
	if st, m := refresh(); st != 400 || m["error"] != "invalid_grant" {
		t.Errorf("refresh after 4 h: %d %v", st, m)
	}
	// Idle: a new session unused for 31 minutes is over.
	rt = e.tokens(t, e.code(t))["refresh_token"].(string)
	e.clock.Advance(31 * time.Minute)
	if st, _ := refresh(); st != 400 {
		t.Errorf("refresh after 31 idle minutes: %d", st)
	}
}

// Lifetimes are configurable, for demos and tests.
func TestLifetimesAreConfigurable(t *testing.T) {
	t.Parallel()
	e := start(t, func(c *pscsim.Config) {
		c.AccessTokenTTL, c.RefreshTokenTTL = 30*time.Second, 5*time.Minute
	})
	tok := e.tokens(t, e.code(t))
	if tok["expires_in"] != float64(30) || tok["refresh_expires_in"] != float64(300) {
		t.Errorf("lifetimes %v %v", tok["expires_in"], tok["refresh_expires_in"])
	}
	e.clock.Advance(31 * time.Second)
	if pg := e.userinfo(t, tok["access_token"].(string)); pg.status != http.StatusUnauthorized {
		t.Errorf("userinfo with an expired access token: %d", pg.status)
	}
}

// A professional who chose a card but whose code was never exchanged did
// not reach the client: no session is listed for him.
func TestUnexchangedSignInIsNotListed(t *testing.T) {
	t.Parallel()
	e := start(t)
	e.code(t) // never exchanged
	if pg := get(t, e.p.SessionsURL()); !strings.Contains(pg.body, `data-testid="psc-sessions-none"`) {
		t.Errorf("a session that never reached the client is listed: %.500s", pg.body)
	}
}

// The simulator's sessions page lists the live sessions; its button signs
// the professional out of Pro Santé Connect, and the client hears of it.
func TestSessionsPageSignsOutThroughTheBackchannel(t *testing.T) {
	t.Parallel()
	e := start(t)
	sessionsURL := e.p.SessionsURL()
	if sessionsURL != e.issuer+"/sandbox/sessions" {
		t.Errorf("sessions URL %s", sessionsURL)
	}
	doc := parse(t, get(t, sessionsURL))
	if doc.Find(`[data-testid="psc-sessions-none"]`).Length() != 1 {
		t.Error("no 'no session' message")
	}
	tok := e.tokens(t, e.code(t))
	idClaims, _, _ := e.inspect(t, tok["id_token"].(string))
	pg := get(t, sessionsURL, "Accept-Language", "de")
	doc = parse(t, pg)
	row := doc.Find(`[data-testid="psc-session-` + virginie + `"]`)
	if !strings.Contains(row.Text(), "VIRGINIE MEDECIN") || !strings.Contains(row.Text(), clientID) {
		t.Fatalf("sessions page: %.600s", pg.body)
	}
	button := row.Find(`[data-testid="psc-session-logout"]`)
	if strings.TrimSpace(button.Text()) != "Von Pro Santé Connect abmelden" {
		t.Errorf("button %q", button.Text())
	}
	if fr := parse(t, get(t, sessionsURL)); strings.TrimSpace(fr.Find(`[data-testid="psc-session-logout"]`).Text()) != "Se déconnecter de Pro Santé Connect" {
		t.Error("no French button")
	}
	if csp := pg.header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self';") {
		t.Errorf("CSP %q", csp)
	}
	sid, _ := row.Find(`input[name="sid"]`).Attr("value")
	done := post(t, sessionsURL+"?ui_locales=en", url.Values{"sid": {sid}})
	if done.status != http.StatusOK || !strings.Contains(done.body, "Session ended") || !strings.Contains(done.body, `data-testid="psc-sessions-none"`) {
		t.Fatalf("after logout: %d %.500s", done.status, done.body)
	}
	if logout := e.verifyLogout(t, e.logoutToken(t)); logout.SessionID != idClaims["sid"] {
		t.Errorf("logout token %+v", logout)
	}
	if st, _, _ := e.tokenCall(t, form("grant_type", "refresh_token", "refresh_token", tok["refresh_token"].(string)), clientID, secret); st != 400 {
		t.Errorf("refresh after logout: %d", st)
	}
	if again := post(t, sessionsURL, url.Values{"sid": {sid}}); !strings.Contains(again.body, "inconnue ou déjà terminée") {
		t.Errorf("second logout: %.300s", again.body)
	}
}

// code_challenge_method alone would sign in without PKCE: refused, to the
// client, with state and iss. plain stays accepted (discovery lists it,
// as PSC's does), and is the method of a challenge sent without one.
func TestPKCEMethodWithoutChallengeIsRefused(t *testing.T) {
	t.Parallel()
	e := start(t)
	pg := get(t, e.authURL(authRequest("code_challenge_method", "S256")))
	if pg.status != http.StatusFound {
		t.Fatalf("%d %.300s", pg.status, pg.body)
	}
	q := pg.location(t).Query()
	if q.Get("error") != "invalid_request" || q.Get("state") != "st" || q.Get("iss") != e.issuer || q.Has("code") {
		t.Errorf("answer %v", q)
	}

	verifier := oauth2.GenerateVerifier()
	for _, tc := range []struct {
		name     string
		request  []string
		verifier string
		status   int
	}{
		{"plain", []string{"code_challenge", verifier, "code_challenge_method", "plain"}, verifier, 200},
		{"plain, wrong verifier", []string{"code_challenge", verifier, "code_challenge_method", "plain"}, oauth2.GenerateVerifier(), 400},
		{"plain, the S256 transform sent", []string{"code_challenge", verifier, "code_challenge_method", "plain"}, oauth2.S256ChallengeFromVerifier(verifier), 400},
		{"no method means plain", []string{"code_challenge", verifier}, verifier, 200},
	} {
		code := e.code(t, tc.request...)
		st, m, _ := e.tokenCall(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect, "code_verifier", tc.verifier), clientID, secret)
		if st != tc.status {
			t.Errorf("%s: %d %v", tc.name, st, m)
		}
	}
}

// The Bearer scheme is case-insensitive (RFC 9110 11.1).
func TestUserinfoBearerSchemeIsCaseInsensitive(t *testing.T) {
	t.Parallel()
	e := start(t)
	access := e.tokens(t, e.code(t))["access_token"].(string)
	for _, scheme := range []string{"Bearer", "bearer", "BEARER"} {
		req, _ := http.NewRequest(http.MethodGet, e.issuer+"/protocol/openid-connect/userinfo", nil)
		req.Header.Set("Authorization", scheme+" "+access)
		if pg := do(t, req); pg.status != http.StatusOK {
			t.Errorf("%s: %d", scheme, pg.status)
		}
	}
	for _, header := range []string{"Basic " + access, access, "Bearer"} {
		req, _ := http.NewRequest(http.MethodGet, e.issuer+"/protocol/openid-connect/userinfo", nil)
		req.Header.Set("Authorization", header)
		if pg := do(t, req); pg.status != http.StatusUnauthorized {
			t.Errorf("%q: %d", header, pg.status)
		}
	}
}

// The sessions page says who each session is (name, idNat), for which
// client, when it started and when it expires, in the page's language
// and the configured time zone (Europe/Paris by default), newest first; it is a list, not a table,
// so that a phone shows it without scrolling sideways.
func TestSessionsPageShowsWhoWhenAndNewestFirst(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CET", 3600)
	e := start(t, func(c *pscsim.Config) { c.Location = paris })
	e.clock.Advance(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC).Sub(e.clock.Now()))
	e.tokens(t, e.code(t)) // VIRGINIE MEDECIN at 09:00 CET
	e.clock.Advance(5 * time.Minute)
	const paul = "899700218904"
	pg := e.choose(t, e.pendingID(t, authRequest()), paul, pscsim.CardCode, "sign-in")
	if pg.status != http.StatusFound {
		t.Fatalf("PAUL's sign-in: %d", pg.status)
	}
	e.tokens(t, pg.location(t).Query().Get("code"))
	for _, tc := range []struct {
		lang, started, expires, zone, order, newest string
	}{
		{"fr", "1 décembre 2026 à 09:05:00", "1 décembre 2026 à 09:35:00", "Heure de Paris, comme le portail (CET, UTC+01:00).", "La plus récente en premier.", "la plus récente"},
		{"de", "1. Dezember 2026, 09:05:00", "1. Dezember 2026, 09:35:00", "Pariser Zeit, wie im Portal (CET, UTC+01:00).", "Die neueste zuerst.", "die neueste"},
		{"en", "1 December 2026, 09:05:00", "1 December 2026, 09:35:00", "Paris time, as in the portal (CET, UTC+01:00).", "Newest first.", "newest"},
	} {
		pg := get(t, e.p.SessionsURL()+"?ui_locales="+tc.lang)
		doc := parse(t, pg)
		if doc.Find("table").Length() != 0 {
			t.Errorf("%s: the sessions are a table", tc.lang)
		}
		rows := doc.Find(`ul[data-testid="psc-sessions"] > li`)
		if rows.Length() != 2 {
			t.Fatalf("%s: %d sessions listed: %.800s", tc.lang, rows.Length(), pg.body)
		}
		first, second := rows.Eq(0), rows.Eq(1)
		if id, _ := first.Attr("data-testid"); id != "psc-session-"+paul {
			t.Errorf("%s: the first session is %s, want PAUL's, the newest", tc.lang, id)
		}
		if id, _ := second.Attr("data-testid"); id != "psc-session-"+virginie {
			t.Errorf("%s: the second session is %s", tc.lang, id)
		}
		field := func(s *goquery.Selection, id string) string {
			return strings.TrimSpace(s.Find(`[data-testid="` + id + `"]`).Text())
		}
		if field(first, "psc-session-name") != "PAUL PHARMACIEN" || !strings.Contains(first.Find(".who").Text(), "idNat "+paul) ||
			field(first, "psc-session-client") != clientID {
			t.Errorf("%s: who and which client: %q", tc.lang, first.Text())
		}
		if got := field(first, "psc-session-started"); got != tc.started {
			t.Errorf("%s: started %q, want %q", tc.lang, got, tc.started)
		}
		if got := field(first, "psc-session-expires"); got != tc.expires {
			t.Errorf("%s: expires %q, want %q", tc.lang, got, tc.expires)
		}
		if dt, _ := first.Find(`[data-testid="psc-session-started"]`).Attr("datetime"); dt != "2026-12-01T09:05:00+01:00" {
			t.Errorf("%s: datetime %q", tc.lang, dt)
		}
		if got := field(second, "psc-session-started"); !strings.Contains(got, "09:00:00") {
			t.Errorf("%s: VIRGINIE's session started %q", tc.lang, got)
		}
		if field(first, "psc-session-newest") != tc.newest || second.Find(`[data-testid="psc-session-newest"]`).Length() != 0 {
			t.Errorf("%s: the newest is not marked, or not only it", tc.lang)
		}
		if got := field(doc.Selection, "psc-sessions-order"); got != tc.order+" "+tc.zone {
			t.Errorf("%s: order and zone %q", tc.lang, got)
		}
		if strings.Contains(pg.body, "(UTC)") || strings.Contains(pg.body, "08:05:00") {
			t.Errorf("%s: a time in UTC: %.800s", tc.lang, pg.body)
		}
		if first.Find(`form input[name="sid"]`).Length() != 1 || first.Find(`form button[data-testid="psc-session-logout"]`).Length() != 1 {
			t.Errorf("%s: no logout form in the session", tc.lang)
		}
	}
}

// A phone shows the sessions page at its width: nothing in the page's
// stylesheet fixes a width, the languages and the session's details
// wrap, and the logout button stays within its session.
func TestSessionsPageStylesheetFitsAPhone(t *testing.T) {
	t.Parallel()
	e := start(t)
	css := get(t, e.issuer+"/resources/pscsim.css").body
	if m := regexp.MustCompile(`(^|[;{])\s*(min-)?width:\s*[0-9.]+(px|rem|em)`).FindString(css); m != "" {
		t.Errorf("a fixed width in the stylesheet: %q", m)
	}
	for _, rule := range []string{
		"overflow-wrap:anywhere",
		"header .langs{display:flex;flex-wrap:wrap",
		".session dl div{display:flex;flex-wrap:wrap",
		".session button{width:100%;max-width:100%;white-space:normal}",
	} {
		if !strings.Contains(css, rule) {
			t.Errorf("the stylesheet lacks %q", rule)
		}
	}
}

// By default the page speaks Europe/Paris, the portal's zone, whatever
// the server's; an identity's newest session comes first and its earlier
// ones are folded beneath it.
func TestSessionsPageParisAndFoldsEarlierSessions(t *testing.T) {
	t.Parallel()
	e := start(t)
	e.clock.Advance(time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC).Sub(e.clock.Now()))
	e.tokens(t, e.code(t)) // 10:00 in Paris (summer time)
	e.clock.Advance(10 * time.Minute)
	e.tokens(t, e.code(t)) // 10:10, the same identity
	e.clock.Advance(5 * time.Minute)
	const paul = "899700218904"
	pg := e.choose(t, e.pendingID(t, authRequest()), paul, pscsim.CardCode, "sign-in")
	e.tokens(t, pg.location(t).Query().Get("code")) // 10:15
	doc := parse(t, get(t, e.p.SessionsURL()+"?ui_locales=en"))
	rows := doc.Find(`ul[data-testid="psc-sessions"] > li`)
	if rows.Length() != 2 {
		t.Fatalf("%d identities listed", rows.Length())
	}
	if id, _ := rows.Eq(0).Attr("data-testid"); id != "psc-session-"+paul {
		t.Errorf("first %s", id)
	}
	virginieRow := rows.Eq(1)
	newest := strings.TrimSpace(virginieRow.Find(`[data-testid="psc-session-started"]`).First().Text())
	if newest != "1 July 2026, 10:10:00" {
		t.Errorf("VIRGINIE's newest session started %q", newest)
	}
	older := virginieRow.Find(`details[data-testid="psc-session-older"]`)
	if older.Length() != 1 || older.Find(`[data-testid="psc-older-session"]`).Length() != 1 ||
		!strings.Contains(older.Find("summary").Text(), "1 earlier session") {
		t.Fatalf("earlier sessions not folded: %q", virginieRow.Text())
	}
	if got := strings.TrimSpace(older.Find(`[data-testid="psc-session-started"]`).Text()); got != "1 July 2026, 10:00:00" {
		t.Errorf("earlier session started %q", got)
	}
	if !strings.Contains(doc.Find(`[data-testid="psc-sessions-order"]`).Text(), "CEST, UTC+02:00") {
		t.Errorf("zone %q", doc.Find(`[data-testid="psc-sessions-order"]`).Text())
	}
	if rows.Eq(0).Find("details").Length() != 0 {
		t.Error("PAUL has no earlier session to fold")
	}
}
