package hinsim

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/infopatient/infopatient/internal/testclock"
)

const (
	testGroup       = "hin_covercard"
	otherGroup      = "ACS-Applikation"
	testClientID    = "ch.infopatient"
	testSecret      = "s3cret+/#grant"
	otherClientID   = "ch.other"
	otherSecret     = "other-secret"
	testDeviceID    = "ch.infopatient-cc"
	testDeviceSec   = "d3vice+#secret"
	otherDeviceID   = "ch.acs-device"
	otherDeviceSec  = "acs-secret"
	testRedirectURI = "https://portal.example/auth/hin/callback"
)

func newClock() *testclock.Clock { return testclock.New(time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)) }

var testIdentities = []Identity{
	{HINID: "cmuster", Title: "Dr.", GivenName: "Claudia", FamilyName: "Muster", Profession: "Médecin"},
	{HINID: "aakeret", GivenName: "Andrea", FamilyName: "Akeret", Profession: "Pharmacienne"},
}

func testConfig(base string, clk *testclock.Clock) Config {
	return Config{
		BaseURL:    base,
		Identities: testIdentities,
		Clients: []Client{
			{ID: testClientID, Secret: testSecret, Name: "InfoPatient", RedirectURIs: []string{testRedirectURI}, TokenGroups: []string{testGroup}},
			{ID: otherClientID, Secret: otherSecret, RedirectURIs: []string{"https://other.example/cb?x=1"}, TokenGroups: []string{otherGroup}},
		},
		Devices: []Device{
			{ClientID: testDeviceID, Secret: testDeviceSec, TokenGroup: testGroup},
			{ClientID: otherDeviceID, Secret: otherDeviceSec, TokenGroup: otherGroup, HINID: "acsdevice"},
		},
		Now: clk.Now,
	}
}

// harness is a simulator behind a loopback server, under /sandbox/hin.
type harness struct {
	t     *testing.T
	sim   *Server
	srv   *httptest.Server
	clock *testclock.Clock
	// browser does not follow redirects, so that tests read them.
	browser *http.Client
}

func newHarness(t *testing.T, mutate ...func(*Config)) *harness {
	t.Helper()
	h := &harness{t: t, clock: newClock()}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.sim.ServeHTTP(w, r) }))
	t.Cleanup(h.srv.Close)
	cfg := testConfig(h.srv.URL+"/sandbox/hin", h.clock)
	for _, m := range mutate {
		m(&cfg)
	}
	sim, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.sim = sim
	h.browser = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return h
}

func (h *harness) authorizeURL(tokenGroup string, q url.Values) string {
	return h.sim.AuthorizeURL() + "/" + tokenGroup + "?" + q.Encode()
}

func goodAuthorize() url.Values {
	return url.Values{"response_type": {"code"}, "client_id": {testClientID}, "redirect_uri": {testRedirectURI}, "state": {"st-123"}}
}

// get fetches a page and parses it.
func (h *harness) get(rawURL string, header ...string) (*http.Response, *goquery.Document) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return h.do(req)
}

// post submits a page form.
func (h *harness) post(path string, form url.Values) (*http.Response, *goquery.Document) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return h.do(req)
}

func (h *harness) do(req *http.Request) (*http.Response, *goquery.Document) {
	h.t.Helper()
	resp, err := h.browser.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp, doc
}

// formOf returns the action and hidden pending id of the page's form.
func formOf(t *testing.T, doc *goquery.Document) (action, pending string) {
	t.Helper()
	action, _ = doc.Find("form").Attr("action")
	pending, _ = doc.Find(`input[name="pending"]`).Attr("value")
	if action == "" || pending == "" {
		t.Fatalf("page has no sign-in form: %s", doc.Text())
	}
	return action, pending
}

// signInTo walks the grant flow up to the consent page for hinID.
func (h *harness) signInTo(hinID string) (consentAction, pending string) {
	h.t.Helper()
	resp, doc := h.get(h.authorizeURL(testGroup, goodAuthorize()))
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("authorize: status %d: %s", resp.StatusCode, doc.Text())
	}
	action, pending := formOf(h.t, doc)
	resp, doc = h.post(action, url.Values{"pending": {pending}, "hin_id": {hinID}})
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("sign-in: status %d: %s", resp.StatusCode, doc.Text())
	}
	return formOf(h.t, doc)
}

// authorize walks the whole grant flow, answering Yes, and returns the
// callback parameters.
func (h *harness) authorize(hinID string) url.Values {
	h.t.Helper()
	action, pending := h.signInTo(hinID)
	resp, _ := h.post(action, url.Values{"pending": {pending}, "decision": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		h.t.Fatalf("consent: status %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		h.t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != testRedirectURI {
		h.t.Fatalf("redirected to %q", got)
	}
	return loc.Query()
}

// manualCode walks the manual variant and returns the code shown.
func (h *harness) manualCode(tokenGroup, hinID string) string {
	h.t.Helper()
	resp, doc := h.get(h.sim.ManualURL(tokenGroup))
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("manual page: status %d: %s", resp.StatusCode, doc.Text())
	}
	action, pending := formOf(h.t, doc)
	resp, doc = h.post(action, url.Values{"pending": {pending}, "hin_id": {hinID}})
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("manual sign-in: status %d", resp.StatusCode)
	}
	code := doc.Find(`[data-testid="hin-manual-code"]`).Text()
	if code == "" {
		h.t.Fatal("no code on the manual page")
	}
	return code
}

// tokenAnswer is a decoded token endpoint answer.
type tokenAnswer struct {
	Status       int
	Header       http.Header
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"`
	HINID        string `json:"hin_id"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token"`
	Error        string `json:"error"`
	Raw          string
}

// token posts form to the token endpoint (with a token group suffix when
// tokenGroup is not empty).
func (h *harness) token(tokenGroup string, form url.Values) tokenAnswer {
	h.t.Helper()
	return h.tokenCtx(context.Background(), tokenGroup, form)
}

func (h *harness) tokenCtx(ctx context.Context, tokenGroup string, form url.Values) tokenAnswer {
	h.t.Helper()
	u := h.sim.TokenURL()
	if tokenGroup != "" {
		u += "/" + tokenGroup
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return tokenAnswer{Status: -1, Raw: err.Error()}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	a := tokenAnswer{Status: resp.StatusCode, Header: resp.Header, Raw: string(body)}
	_ = json.Unmarshal(body, &a)
	return a
}

func codeForm(code, redirectURI string) url.Values {
	return url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI},
		"client_id": {testClientID}, "client_secret": {testSecret},
	}
}

func refreshForm(rt string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {testClientID}, "client_secret": {testSecret}}
}

func ccForm(id, secret string) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
}
