package pscsim_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/oauth2"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang/pagelangtest"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// Every key the code uses is in locales/, and every key there is used;
// pagelang refuses a catalogue whose languages differ.
func TestCatalogueIsCompleteAndUsed(t *testing.T) {
	t.Parallel()
	// The e-CPS app's answers and channels are keys chosen at run time.
	runtime := []string{"ecps.approved", "ecps.refused", "ecps.gone", "ecps.channel.CARD", "ecps.channel.MOBILE"}
	pagelangtest.CheckCatalogue(t, pscsim.Catalogue, ".", runtime, "text", "renderError", "renderMessage", "renderCardPage", "renderSessions")
}

func parse(t *testing.T, pg page) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(pg.body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// The e-CPS page, its cards included, is in German and in English, not
// only its html lang.
func TestCardPageIsCompleteInEachLanguage(t *testing.T) {
	t.Parallel()
	e := start(t)
	for _, tc := range []struct {
		lang                        string
		want                        []string
		notFrench, wrongCode, error string
	}{
		{"de", []string{"Ärztin — Allgemeinmedizin", "Demo: von Anfang an mit dem Konto 751234567 verknüpft", "Hebamme (EDIT-Identität, nicht numerisch)", "Kartencode", "BESTÄTIGEN", "Abbrechen"},
			"Médecin — médecine générale", "Falscher Code", "Diese Anwendung ist bei Pro Santé Connect unbekannt."},
		{"en", []string{"Doctor — general practice", "Demo: linked to account 751234567 from the start", "Physiotherapist (ADELI identity)", "Card code", "CONFIRM", "Cancel"},
			"associée d'origine", "Wrong code", "This application is unknown to Pro Santé Connect."},
		{"fr", []string{"Médecin — médecine générale", "Démo : associée d'origine au compte 751234567", "VALIDER"}, "Ärztin", "Code incorrect", "Application inconnue"},
	} {
		pg := get(t, e.authURL(authRequest("ui_locales", tc.lang)))
		body := html.UnescapeString(pg.body)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the e-CPS page lacks %q", tc.lang, w)
			}
		}
		if strings.Contains(body, tc.notFrench) {
			t.Errorf("%s: the e-CPS page shows %q", tc.lang, tc.notFrench)
		}
		pending := pendingRE.FindStringSubmatch(pg.body)[1]
		if pg := e.choose(t, pending, virginie, "0000", "sign-in"); !strings.Contains(html.UnescapeString(pg.body), tc.wrongCode) {
			t.Errorf("%s: wrong code page: %.300s", tc.lang, pg.body)
		}
		if pg := get(t, e.authURL(with(authRequest("ui_locales", tc.lang), "client_id", "nobody"))); !strings.Contains(html.UnescapeString(pg.body), tc.error) {
			t.Errorf("%s: error page: %.300s", tc.lang, pg.body)
		}
	}
}

// switchTo follows the page's language switcher to lang.
func (e *env) switchTo(t *testing.T, pg page, lang string) page {
	t.Helper()
	doc := parse(t, pg)
	links := doc.Find(`[data-testid="sandbox-languages"] a`)
	if links.Length() != 3 {
		t.Fatalf("the page offers %d languages: %.500s", links.Length(), pg.body)
	}
	href, ok := links.Filter(`[hreflang="` + lang + `"]`).Attr("href")
	if !ok {
		t.Fatalf("no link to %s", lang)
	}
	u, err := url.Parse(href)
	if err != nil || u.IsAbs() {
		t.Fatalf("switcher href %q", href)
	}
	next := get(t, e.srv.URL+href)
	if !strings.Contains(next.body, `<html lang="`+lang+`"`) {
		t.Fatalf("after switching to %s: %d %.300s", lang, next.status, next.body)
	}
	if cur, _ := parse(t, next).Find(`[data-testid="sandbox-languages"] a[aria-current="true"]`).Attr("hreflang"); cur != lang {
		t.Errorf("the switcher marks %q as current, not %s", cur, lang)
	}
	return next
}

// Switching language repeats the authorization request unchanged: the
// sign-in completes afterwards, with the state, the nonce and PKCE of the
// original request, and the new language stays for the rest of it.
func TestLanguageSwitchKeepsTheAuthorizationRequest(t *testing.T) {
	t.Parallel()
	e := start(t)
	verifier := oauth2.GenerateVerifier()
	q := authRequest("state", "st&é+1", "nonce", "n-42", "ui_locales", "fr-FR",
		"code_challenge", oauth2.S256ChallengeFromVerifier(verifier), "code_challenge_method", "S256")
	first := get(t, e.authURL(q))
	de := e.switchTo(t, first, "de")
	if !strings.Contains(html.UnescapeString(de.body), "Ärztin — Allgemeinmedizin") {
		t.Fatal("the switched page is not in German")
	}
	pending := pendingRE.FindStringSubmatch(de.body)[1]
	// A wrong code keeps German; its page switches to English.
	wrong := e.choose(t, pending, virginie, "0000", "sign-in")
	if !strings.Contains(wrong.body, "Falscher Code") {
		t.Fatalf("wrong code: %.300s", wrong.body)
	}
	en := e.switchTo(t, wrong, "en")
	pending = pendingRE.FindStringSubmatch(en.body)[1]
	wrong = e.choose(t, pending, virginie, "0000", "sign-in")
	if !strings.Contains(wrong.body, "Wrong code") {
		t.Errorf("the language was not kept: %.300s", wrong.body)
	}
	done := e.choose(t, pending, virginie, pscsim.CardCode, "sign-in")
	if done.status != http.StatusFound {
		t.Fatalf("sign-in after switching: %d %.300s", done.status, done.body)
	}
	cb := done.location(t)
	if cb.Query().Get("state") != "st&é+1" || cb.Query().Get("iss") != e.issuer || !strings.HasPrefix(cb.String(), redirect+"?") {
		t.Fatalf("callback %s", cb)
	}
	tok := e.tokens(t, cb.Query().Get("code"), "code_verifier", verifier)
	claims, _, _ := e.inspect(t, tok["id_token"].(string))
	if claims["nonce"] != "n-42" || claims["aud"] != clientID {
		t.Errorf("ID token %v", claims)
	}
	// The page that answered an expired form switches too.
	gone := e.choose(t, pending, virginie, pscsim.CardCode, "sign-in")
	if gone.status != http.StatusBadRequest {
		t.Fatalf("replayed form: %d", gone.status)
	}
	if de := e.switchTo(t, gone, "de"); !strings.Contains(de.body, "abgelaufen") || strings.Contains(de.body, "1234") {
		t.Errorf("expired page in German: %.300s", de.body)
	}
}

// The wrong-code message sits with the code field and is tied to it.
func TestWrongCodeIsTiedToTheCodeField(t *testing.T) {
	t.Parallel()
	e := start(t)
	first := parse(t, get(t, e.authURL(authRequest())))
	if _, invalid := first.Find("#code").Attr("aria-invalid"); invalid || first.Find("#code-error").Length() != 0 {
		t.Error("the code field is marked invalid before any attempt")
	}
	pending, _ := first.Find(`input[name="pending"]`).Attr("value")
	doc := parse(t, e.choose(t, pending, virginie, "0000", "sign-in"))
	field := doc.Find("#code")
	if v, _ := field.Attr("aria-invalid"); v != "true" {
		t.Errorf("aria-invalid %q", v)
	}
	described, _ := field.Attr("aria-describedby")
	msg := doc.Find("#" + described)
	if described == "" || msg.Length() != 1 || !strings.Contains(msg.Text(), "1234") {
		t.Fatalf("aria-describedby %q names %q", described, msg.Text())
	}
	if testid, _ := msg.Attr("data-testid"); testid != "psc-error" || msg.Closest(`form[data-testid="psc-form"]`).Length() != 1 {
		t.Error("the message is not the form's psc-error")
	}
	if doc.Find(`[data-testid="psc-error"]`).Length() != 1 {
		t.Error("the error is shown twice")
	}
	// No card chosen: the error is about the cards, not the code.
	doc = parse(t, e.choose(t, pending, "", "1234", "sign-in"))
	if _, invalid := doc.Find("#code").Attr("aria-invalid"); invalid || !strings.Contains(doc.Find(`[data-testid="psc-error"]`).Text(), "Choisissez une carte") {
		t.Error("a missing card marks the code field")
	}
	radio := doc.Find(`input[name="professional"]`).First()
	if v, _ := radio.Attr("aria-invalid"); v != "true" {
		t.Error("the cards are not marked invalid")
	}
	if d, _ := radio.Attr("aria-describedby"); doc.Find("#"+d).Length() != 1 || !strings.Contains(doc.Find("#"+d).Text(), "Choisissez une carte") {
		t.Errorf("the cards are described by %q", d)
	}
}

// The portal asks for its page's language with ui_locales (one tag, as
// psc.UILocales sends it): the e-CPS page follows it over the browser's
// Accept-Language, and keeps it when the form comes back with an error.
func TestUILocalesFromThePortalOverAcceptLanguage(t *testing.T) {
	t.Parallel()
	e := start(t)
	// Each time the browser prefers another language than the portal's page.
	for lang, browser := range map[string]string{"de": "fr-FR,fr;q=0.9,en;q=0.5", "en": "de-CH,de;q=0.9", "fr": "en-GB,en;q=0.8,de;q=0.5"} {
		pg := get(t, e.authURL(authRequest("ui_locales", lang)), "Accept-Language", browser)
		doc := parse(t, pg)
		if got, _ := doc.Find("html").Attr("lang"); got != lang {
			t.Errorf("ui_locales=%s: the e-CPS page is in %q", lang, got)
		}
		if cur, _ := doc.Find(`[data-testid="sandbox-languages"] a[aria-current="true"]`).Attr("hreflang"); cur != lang {
			t.Errorf("ui_locales=%s: the switcher marks %q", lang, cur)
		}
		pending := pendingRE.FindStringSubmatch(pg.body)[1]
		req, _ := http.NewRequest(http.MethodPost, e.issuer+"/protocol/openid-connect/auth",
			strings.NewReader(form("pending", pending, "professional", virginie, "code", "0000", "action", "sign-in").Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept-Language", browser)
		if got, _ := parse(t, do(t, req)).Find("html").Attr("lang"); got != lang {
			t.Errorf("ui_locales=%s: the wrong-code page is in %q", lang, got)
		}
	}
}
