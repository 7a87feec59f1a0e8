package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/nir"
)

func TestLocalJourney(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)

	r := b.Get("/")
	if r.Status != http.StatusOK || !strings.Contains(b.Text("login-form"), "N° d'Assurance Maladie") {
		t.Fatalf("login page: %d", r.Status)
	}
	for _, want := range []string{"PROFESSIONNELS DE SANTÉ", "CONNECTEZ-VOUS !"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("login page lacks %q", want)
		}
	}

	r = b.SignIn(virginie, demo.Password)
	if r.Status != http.StatusOK || !b.Has("identify-form") {
		t.Fatalf("after sign-in: status %d at identification? %v", r.Status, b.Has("identify-form"))
	}
	if got := b.Text("professional"); got != "VIRGINIE MEDECIN RPPS 99700218896" {
		t.Errorf("header shows %q", got)
	}
	if !strings.Contains(r.Body, "IDENTIFIEZ VOTRE PATIENT(E)") {
		t.Error("identification title missing")
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("personal page Cache-Control %q", cc)
	}

	r = lookUpRights(t, b, camilleNIR, camilleBirth, "")
	if r.Status != http.StatusOK {
		t.Fatalf("patient page: %d %s", r.Status, b.Text("identify-error"))
	}
	if got := b.Text("patient-name"); got != "MARTIN CAMILLE ANNE" {
		t.Errorf("patient name %q", got)
	}
	if got := b.Text("patient-birth-date"); got != "11/02/1984" {
		t.Errorf("birth date %q", got)
	}
	if got := b.Text("patient-nir"); !strings.HasPrefix(got, "2 84 02 75 115 023") {
		t.Errorf("NIR shown %q", got)
	}

	lookups, err := p.App.Store.RecentLookups(t.Context(), accountID(t, p, virginie), 10)
	if err != nil || len(lookups) != 1 || !strings.HasPrefix(lookups[0].Identifier, "2840275115023 1984-02-11 1 uuid:") || lookups[0].Outcome != "found" || lookups[0].Kind != "adri" {
		t.Fatalf("audit trail %+v %v", lookups, err)
	}

	r = b.Post("/logout", nil)
	if r.Status != http.StatusSeeOther || r.Location != "/?bye=1" {
		t.Fatalf("logout: %d → %q", r.Status, r.Location)
	}
	b.Follow(r)
	if !strings.Contains(b.Text("login-notice"), "déconnecté") {
		t.Errorf("logout notice %q", b.Text("login-notice"))
	}
	r = b.Get("/identification")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/?return=") {
		t.Errorf("after logout the identification page answers %d → %q", r.Status, r.Location)
	}
}

func TestProtectedPageComesBackAfterSignIn(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	r := b.Get("/identification?from=bookmark")
	if r.Status != http.StatusSeeOther {
		t.Fatalf("status %d", r.Status)
	}
	b.Follow(r)
	ret, _ := b.Page.Find(`input[name="return"]`).Attr("value")
	if ret != "/identification?from=bookmark" {
		t.Fatalf("return field %q", ret)
	}
	r = b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}, "return": {ret}})
	if r.Location != "/identification?from=bookmark" {
		t.Errorf("sign-in leads to %q", r.Location)
	}
}

// The payloads of the security checklist that broke other relying
// parties, given as the sign-in form's return field.
func TestOpenRedirectsAreRefused(t *testing.T) {
	p := apptest.Start(t, nil)
	for _, evil := range []string{
		"//evil.example", "/\\evil.example", "\\/evil.example", "/%09/evil.example", "/%2F%2Fevil.example",
		"https://evil.example", "javascript:alert(1)", "/ /evil.example", "%2F%2Fevil.example",
	} {
		b := p.NewBrowser(t)
		b.Get("/?return=" + url.QueryEscape(evil))
		if ret, _ := b.Page.Find(`input[name="return"]`).Attr("value"); ret != "/identification" {
			t.Errorf("?return=%q: the form carries %q", evil, ret)
		}
		r := b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}, "return": {evil}})
		if r.Status != http.StatusSeeOther || r.Location != "/identification" {
			t.Errorf("return=%q: %d → %q", evil, r.Status, r.Location)
		}
	}
}

func TestWrongPasswordAndUnknownAccountLookTheSame(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Get("/")
	wrong := b.Post("/login", url.Values{"login": {virginie}, "password": {"not-the-password"}})
	wrongMsg := b.Text("login-error")
	unknown := b.Post("/login", url.Values{"login": {"999999999"}, "password": {"not-the-password"}})
	unknownMsg := b.Text("login-error")
	if wrong.Status != http.StatusUnauthorized || unknown.Status != http.StatusUnauthorized {
		t.Errorf("statuses %d %d", wrong.Status, unknown.Status)
	}
	if wrongMsg == "" || wrongMsg != unknownMsg {
		t.Errorf("messages differ: %q vs %q", wrongMsg, unknownMsg)
	}
	if v, _ := b.Page.Find("#login").Attr("value"); v != "999999999" {
		t.Errorf("typed login lost: %q", v)
	}
	if b.Cookie("infopatient_session") != nil {
		t.Error("a failed sign-in created a session")
	}
	missing := b.Post("/login", url.Values{"login": {virginie}})
	if missing.Status != http.StatusUnprocessableEntity || !strings.Contains(b.Text("login-error"), "mot de passe") {
		t.Errorf("missing password: %d %q", missing.Status, b.Text("login-error"))
	}
}

func TestSignInIsRateLimitedPerAccount(t *testing.T) {
	p := apptest.Start(t, map[string]string{"INFOPATIENT_LOGIN_MAX_PER_ACCOUNT": "3"})
	b := p.NewBrowser(t)
	b.Get("/")
	for i := 0; i < 3; i++ {
		if r := b.Post("/login", url.Values{"login": {virginie}, "password": {"wrong-password"}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, r.Status)
		}
	}
	// Even the right password is refused while the account is throttled.
	r := b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}})
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("4th attempt: %d", r.Status)
	}
	if !strings.Contains(b.Text("login-error"), "Trop de tentatives") {
		t.Errorf("message %q", b.Text("login-error"))
	}
	// Another account from the same address is not affected.
	if r := b.Post("/login", url.Values{"login": {"756100001"}, "password": {demo.Password}}); r.Status != http.StatusSeeOther {
		t.Errorf("other account: %d", r.Status)
	}
	// The window passes: the account may try again.
	p.Clock.Advance(16 * time.Minute)
	b2 := p.NewBrowser(t)
	b2.Get("/")
	if r := b2.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}}); r.Status != http.StatusSeeOther {
		t.Errorf("after the window: %d", r.Status)
	}
}

func TestSignInIsRateLimitedPerAddress(t *testing.T) {
	p := apptest.Start(t, map[string]string{"INFOPATIENT_LOGIN_MAX_PER_ADDRESS": "4"})
	b := p.NewBrowser(t)
	b.Get("/")
	for i := 0; i < 4; i++ {
		b.Post("/login", url.Values{"login": {"10000000" + string(rune('0'+i))}, "password": {"whatever-pw"}})
	}
	if r := b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}}); r.Status != http.StatusTooManyRequests {
		t.Errorf("5th attempt from one address: %d", r.Status)
	}
}

func TestFormsWithoutCSRFTokenAreRefused(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Get("/")
	r := b.PostRaw("/login", url.Values{"login": {virginie}, "password": {demo.Password}})
	if r.Status != http.StatusForbidden || !b.Has("error-title") {
		t.Fatalf("no token: %d", r.Status)
	}
	if !strings.Contains(b.Text("error-title"), "Formulaire expiré") {
		t.Errorf("error page %q", b.Text("error-title"))
	}
	r = b.PostRaw("/login", url.Values{"login": {virginie}, "password": {demo.Password}, "_csrf": {"forged"}})
	if r.Status != http.StatusForbidden {
		t.Errorf("forged token: %d", r.Status)
	}
	// Signed in, a logout without token does not sign out.
	b.SignIn(virginie, demo.Password)
	b.PostRaw("/logout", nil)
	if r := b.Get("/identification"); r.Status != http.StatusOK {
		t.Errorf("a forged logout signed the user out: %d", r.Status)
	}
}

func TestBadIdentifiers(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	for _, tc := range []struct {
		input, want string
		status      int
	}{
		{"", "Entrez", http.StatusUnprocessableEntity},
		{"28402751150", "13 caractères", http.StatusUnprocessableEntity},
		{"2840275115023 99", "clé ne correspond pas", http.StatusUnprocessableEntity},
		{"2 84 02 75 115 0X3", "que des chiffres", http.StatusUnprocessableEntity},
		{"1 50 05 75 999 999", "aucun bénéficiaire", http.StatusNotFound},
	} {
		r := lookUpRights(t, b, tc.input, "1950-05-01", "")
		if r.Status != tc.status || !strings.Contains(b.Text("identify-error"), tc.want) {
			t.Errorf("%q: %d %q", tc.input, r.Status, b.Text("identify-error"))
		}
		if v, _ := b.Page.Find("#identifier").Attr("value"); v != strings.TrimSpace(tc.input) {
			t.Errorf("%q: the typed value became %q", tc.input, v)
		}
		if inv, _ := b.Page.Find("#identifier").Attr("aria-invalid"); inv != "true" {
			t.Errorf("%q: field not marked invalid", tc.input)
		}
	}
}

func TestCorsicanNIRWithKey(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	// 176122A004018 (Ajaccio, born 1976: 2A exists from then on): the key replaces 2A by 19 in the computation.
	r := lookUpRights(t, b, "1 76 12 2a 004 018 "+keyOf(t, "176122A004018"), "1976-12-03", "1")
	if r.Status != http.StatusOK || b.Text("patient-name") != "SANTONI ANGE-MARIE" {
		t.Fatalf("%d %q %q", r.Status, b.Text("patient-name"), b.Text("identify-error"))
	}
}

func TestIdleSessionExpires(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	p.Clock.Advance(29 * time.Minute)
	if r := b.Get("/identification"); r.Status != http.StatusOK {
		t.Fatalf("active session refused: %d", r.Status)
	}
	p.Clock.Advance(29 * time.Minute) // activity above pushed the deadline
	if r := b.Get("/identification"); r.Status != http.StatusOK {
		t.Fatalf("session ended despite activity: %d", r.Status)
	}
	p.Clock.Advance(31 * time.Minute)
	r := b.Get("/identification")
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "expired=1") {
		t.Fatalf("idle session: %d → %q", r.Status, r.Location)
	}
	b.Follow(r)
	if !strings.Contains(b.Text("login-notice"), "expiré") {
		t.Errorf("expiry notice %q", b.Text("login-notice"))
	}
}

// A short idle timeout (10s) still keeps an active professional signed
// in: activity is written back often enough, not once a minute.
func TestShortIdleTimeout(t *testing.T) {
	p := apptest.Start(t, map[string]string{"INFOPATIENT_SESSION_IDLE_TIMEOUT": "10s"})
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	for i := 1; i <= 8; i++ {
		p.Clock.Advance(4 * time.Second)
		if r := b.Get("/identification"); r.Status != http.StatusOK {
			t.Fatalf("active for %ds, with a request every 4s: %d → %q", 4*i, r.Status, r.Location)
		}
	}
	p.Clock.Advance(11 * time.Second)
	if r := b.Get("/identification"); r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "expired=1") {
		t.Fatalf("idle for 11s: %d → %q", r.Status, r.Location)
	}
}

// A session token the browser holds before sign-in (here, one planted)
// is never the signed-in one, and opens nothing: a token planted in a
// victim's browser is worthless. (The e-CPS button creates no session:
// a short sign-in cookie binds the state to the browser.)
func TestSessionTokenRenewedAtSignIn(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	if r := b.Get("/auth/psc/login"); r.Status != http.StatusFound {
		t.Fatalf("e-CPS button: %d", r.Status)
	}
	if b.Cookie("infopatient_session") != nil {
		t.Fatal("the e-CPS button created a session")
	}
	anonymous := &http.Cookie{Name: "infopatient_session", Value: "planted-by-an-attacker-0123456789abcdef"}
	b.Client.Jar.SetCookies(mustURL(t, p.URL), []*http.Cookie{anonymous})
	b.SignIn(virginie, demo.Password)
	signedIn := b.Cookie("infopatient_session")
	if signedIn == nil || signedIn.Value == anonymous.Value {
		t.Fatalf("session token not renewed at sign-in: %v → %v", anonymous, signedIn)
	}
	signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
	// The token from before sign-in no longer opens anything.
	planted := p.NewBrowser(t)
	planted.Client.Jar.SetCookies(mustURL(t, p.URL), []*http.Cookie{{Name: "infopatient_session", Value: anonymous.Value}})
	signedOut(t, planted, "the token from before sign-in")
	// Nor does the signed-in token once logged out.
	b.Post("/logout", nil)
	stale := p.NewBrowser(t)
	stale.Client.Jar.SetCookies(mustURL(t, p.URL), []*http.Cookie{{Name: "infopatient_session", Value: signedIn.Value}})
	signedOut(t, stale, "the token after logout")
}

func TestSecurityHeadersAndCookies(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	r := b.Get("/")
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s = %q", h, got)
		}
	}
	// A page varies on the language asked and on the cookies (language,
	// session), each said once.
	if got := r.Header.Values("Vary"); len(got) != 1 || got[0] != "Accept-Language, Cookie" {
		t.Errorf("Vary: %q", got)
	}
	csp := r.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	// Scripts only from the site's static files (the passkey script), never
	// inline: the CSP would refuse an inline one.
	r.Doc.Find("script").Each(func(_ int, sc *goquery.Selection) {
		if src, ok := sc.Attr("src"); !ok || !strings.HasPrefix(src, "/static/") || strings.TrimSpace(sc.Text()) != "" {
			t.Errorf("the page carries a script not from its static files: %q %q", src, sc.Text())
		}
	})
	// Session cookie flags, as sent at sign-in.
	login := b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}})
	var session string
	for _, c := range login.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "infopatient_session=") {
			session = c
		}
	}
	if !strings.Contains(session, "HttpOnly") || !strings.Contains(session, "SameSite=Lax") || strings.Contains(session, "Secure") {
		t.Errorf("session cookie %q (plain-http demo: no Secure)", session)
	}
}

func TestErrorPages(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	r := b.Get("/no/such/page")
	if r.Status != http.StatusNotFound || !strings.Contains(b.Text("error-title"), "Page introuvable") {
		t.Errorf("404: %d %q", r.Status, b.Text("error-title"))
	}
	b.Client.Jar.SetCookies(mustURL(t, p.URL), []*http.Cookie{{Name: "lang", Value: "de"}})
	b.Get("/no/such/page")
	if !strings.Contains(b.Text("error-title"), "Seite nicht gefunden") {
		t.Errorf("German 404: %q", b.Text("error-title"))
	}
	if r := b.Get("/patient"); r.Status != http.StatusSeeOther {
		t.Errorf("GET /patient anonymous: %d", r.Status)
	}
}

// A failure inside the portal (here the database gone) shows the French
// error page with a 500, and nothing of the cause: no stack trace, no
// driver message. The cause is logged, with the request id.
func TestInternalErrorPage(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	_ = p.App.Store.Close()
	// Historique reads the audit trail: the session may come from the
	// session cache, the page itself needs the database.
	r := b.Get("/historique")
	if r.Status != http.StatusInternalServerError || b.Text("error-title") != "Erreur du portail" {
		t.Fatalf("database closed: %d %q", r.Status, b.Text("error-title"))
	}
	if !strings.Contains(b.Text("error-message"), "Une erreur inattendue") {
		t.Errorf("message %q", b.Text("error-message"))
	}
	for _, leak := range []string{"goroutine", "panic", ".go:", "sql", "database", "closed"} {
		if strings.Contains(strings.ToLower(r.Body), leak) {
			t.Errorf("the error page shows %q", leak)
		}
	}
	id := r.Header.Get("X-Request-Id")
	if !strings.Contains(p.Logs.String(), "request failed") || id == "" || !strings.Contains(p.Logs.String(), id) {
		t.Errorf("the failure is not logged with its request id %q", id)
	}
}

// Behind an https public URL, the session cookie is Secure and HSTS is
// sent. (The test server speaks plain http, so the cookies a browser
// would keep for https only are sent back by hand.)
func TestSecureCookiesAndHSTSOverHTTPS(t *testing.T) {
	p := apptest.Start(t, map[string]string{"INFOPATIENT_BASE_URL": "https://infopatient.example"})
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(p.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if hsts := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("HSTS %q", hsts)
	}
	token, _ := doc.Find(`input[name="_csrf"]`).Attr("value")
	form := url.Values{"login": {virginie}, "password": {demo.Password}, "_csrf": {token}}
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, ck := range resp.Cookies() {
		if !ck.Secure {
			t.Errorf("cookie %s without Secure", ck.Name)
		}
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	login, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	login.Body.Close()
	var session *http.Cookie
	for _, ck := range login.Cookies() {
		if ck.Name == "infopatient_session" {
			session = ck
		}
	}
	if login.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("sign-in: %d, session cookie %v", login.StatusCode, session)
	}
	if !session.Secure || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie %q", login.Header.Values("Set-Cookie"))
	}
	// Every cookie of the sign-in, the session's write stamp too.
	names := map[string]bool{}
	for _, ck := range login.Cookies() {
		names[ck.Name] = true
		if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
			t.Errorf("cookie %s: Secure %v HttpOnly %v SameSite %v", ck.Name, ck.Secure, ck.HttpOnly, ck.SameSite)
		}
	}
	if !names["infopatient_sv"] {
		t.Errorf("no session stamp cookie at sign-in: %q", login.Header.Values("Set-Cookie"))
	}
	if hsts := login.Header.Get("Strict-Transport-Security"); hsts == "" {
		t.Error("no HSTS on the sign-in answer")
	}
}

// A session ends at its absolute lifetime, however active. (scs keeps the
// deadline on the wall clock, so this test waits.)
func TestSessionEndsAtItsLifetime(t *testing.T) {
	p := apptest.Start(t, map[string]string{"INFOPATIENT_SESSION_LIFETIME": "2s", "INFOPATIENT_SESSION_IDLE_TIMEOUT": "2s"})
	b := p.NewBrowser(t)
	start := time.Now()
	b.SignIn(virginie, demo.Password)
	for time.Since(start) < 1500*time.Millisecond {
		if r := b.Get("/identification"); r.Status != http.StatusOK {
			t.Fatalf("active session ended after %v: %d", time.Since(start), r.Status)
		}
		time.Sleep(250 * time.Millisecond)
	}
	time.Sleep(time.Until(start.Add(3 * time.Second)))
	signedOut(t, b, "past the lifetime")
}

// Every line logged while serving a request carries its id: the sign-in's
// own line and the access line share it. A proxy's id is kept when
// sensible, replaced when too long or odd.
func TestLogLinesCarryTheRequestID(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Get("/")
	tok, _ := b.Page.Find(`input[name="_csrf"]`).Attr("value")
	post := func(id string, form url.Values) *apptest.Response {
		form.Set("_csrf", tok)
		req, _ := http.NewRequest(http.MethodPost, p.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Request-Id", id)
		return b.Do(req)
	}
	linesWith := func(id string) (lines []string) {
		for _, l := range strings.Split(p.Logs.String(), "\n") {
			if strings.Contains(l, "request_id="+id) {
				lines = append(lines, l)
			}
		}
		return lines
	}

	r := post("0f1e2d3c4b5a69788796a5b4c3d2e1f0", url.Values{"login": {virginie}, "password": {"wrong-password"}})
	if r.Status != http.StatusUnauthorized || r.Header.Get("X-Request-Id") != "0f1e2d3c4b5a69788796a5b4c3d2e1f0" {
		t.Fatalf("refused sign-in: %d, id %q", r.Status, r.Header.Get("X-Request-Id"))
	}
	if lines := linesWith("0f1e2d3c4b5a69788796a5b4c3d2e1f0"); len(lines) != 2 ||
		!strings.Contains(lines[0], `msg="sign-in refused"`) || !strings.Contains(lines[1], "msg=request") {
		t.Errorf("lines of the refused sign-in:\n%s", strings.Join(lines, "\n"))
	}

	for _, bad := range []string{strings.Repeat("x", 65), "forged level=ERROR", "<b>"} {
		r = post(bad, url.Values{"login": {virginie}, "password": {demo.Password}})
		id := r.Header.Get("X-Request-Id")
		if r.Status != http.StatusSeeOther || id == "" || id == bad || len(id) > 64 {
			t.Fatalf("X-Request-Id %q: %d, id %q", bad, r.Status, id)
		}
		if strings.Contains(p.Logs.String(), bad) {
			t.Errorf("X-Request-Id %q reached the logs", bad)
		}
		lines := linesWith(id)
		if len(lines) != 2 || !strings.Contains(lines[0], `msg="signed in"`) || !strings.Contains(lines[1], "msg=request") || !strings.Contains(lines[1], "route=/login") {
			t.Errorf("lines of the sign-in %s:\n%s", id, strings.Join(lines, "\n"))
		}
		b.Follow(b.Get("/")) // the signed-in page's token: a sign-in rotates it
		b.Post("/logout", nil)
		b.Get("/")
		tok, _ = b.Page.Find(`input[name="_csrf"]`).Attr("value")
	}
}

func TestProbes(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	if r := b.Get("/healthz"); r.Status != http.StatusOK {
		t.Errorf("healthz %d", r.Status)
	}
	if r := b.Get("/readyz"); r.Status != http.StatusOK || r.Body != "ready" {
		t.Errorf("readyz %d %q", r.Status, r.Body)
	}
	_ = p.App.Store.Close()
	if r := b.Get("/readyz"); r.Status != http.StatusServiceUnavailable {
		t.Errorf("readyz with the database closed: %d", r.Status)
	}
}

func keyOf(t *testing.T, body string) string {
	t.Helper()
	n, err := nir.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	return n.Key()
}

func TestNavigationMarksTheCurrentPage(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	for path, want := range map[string]string{"/identification": "Identifier un patient", "/historique": "Historique", "/mes-informations": "Mes informations"} {
		b.Get(path)
		if got := b.Page.Find(`nav a[aria-current="page"]`).Text(); got != want {
			t.Errorf("%s marks %q", path, got)
		}
	}
}

func TestTheAuthoritiesAreAskedToSpeakThePageLanguage(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Get("/?lang=de")
	for _, start := range []string{"/auth/psc/login", "/auth/hin/login"} {
		r := b.Get(start)
		loc, _ := url.Parse(r.Location)
		if r.Status != http.StatusFound || loc.Query().Get("ui_locales") != "de" {
			t.Errorf("%s → %d %q", start, r.Status, r.Location)
		}
	}
}
