package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// sandboxSwitch follows the sandbox page's link to lang and returns the
// page's URL afterwards.
func sandboxSwitch(t *testing.T, b *apptest.Browser, lang string) string {
	t.Helper()
	href, ok := b.Page.Find(`[data-testid="sandbox-languages"] a[hreflang="` + lang + `"]`).Attr("href")
	if !ok {
		t.Fatalf("the sandbox page offers no %s", lang)
	}
	if r := b.Get(href); r.Status != http.StatusOK {
		t.Fatalf("sandbox page in %s: %d", lang, r.Status)
	}
	return href
}

// A language chosen on a sandbox sign-in page carries on in the portal
// once the sign-in is done: e-CPS and HIN alike.
func TestLanguageChosenInTheSandboxCarriesBack(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)

	t.Run("e-CPS", func(t *testing.T) {
		b := p.NewBrowser(t)
		b.Get("/?lang=fr")
		r := b.Get("/auth/psc/login")
		cardPage := r.Location
		b.Get(cardPage)
		sandboxSwitch(t, b, "de")
		if got := b.Page.Find("html").AttrOr("lang", ""); got != "de" {
			t.Fatalf("the sandbox page is in %q", got)
		}
		pending := b.Page.Find(`input[name="pending"]`).AttrOr("value", "")
		r = b.PostRaw(cardPage, url.Values{"pending": {pending}, "professional": {virginieIDNat}, "code": {pscsim.CardCode}, "action": {"sign-in"}})
		back := mustURL(t, r.Location)
		if back.Query().Get("ui_locales") != "de" {
			t.Errorf("the sandbox sends back %q", r.Location)
		}
		if r := b.Follow(b.Get(back.String())); r.Status != http.StatusOK || b.Page.Find("html").AttrOr("lang", "") != "de" {
			t.Errorf("after the sign-in: %d in %q", r.Status, b.Page.Find("html").AttrOr("lang", ""))
		}
		// And it stays so.
		if b.Get("/historique"); b.Page.Find("html").AttrOr("lang", "") != "de" {
			t.Error("the next page forgets the language")
		}
	})

	t.Run("HIN", func(t *testing.T) {
		b := p.NewBrowser(t)
		b.Get("/?lang=de")
		r := b.Get("/auth/hin/login")
		b.Get(r.Location)
		sandboxSwitch(t, b, "en")
		r = submitHINForm(t, b, url.Values{"hin_id": {"cmuster"}})
		if r.Status != http.StatusOK || b.Page.Find("html").AttrOr("lang", "") != "en" {
			t.Fatalf("consent page: %d in %q", r.Status, b.Page.Find("html").AttrOr("lang", ""))
		}
		r = submitHINForm(t, b, url.Values{"decision": {"yes"}})
		if !strings.Contains(r.Location, "ui_locales=en") {
			t.Errorf("HIN sends back %q", r.Location)
		}
		if r := b.Follow(b.Get(r.Location)); r.Status != http.StatusOK || b.Page.Find("html").AttrOr("lang", "") != "en" {
			t.Errorf("after the sign-in: %d in %q", r.Status, b.Page.Find("html").AttrOr("lang", ""))
		}
	})

	// Anywhere else, ui_locales chooses nothing.
	b := p.NewBrowser(t)
	if b.Get("/?ui_locales=de"); b.Page.Find("html").AttrOr("lang", "") != "fr" {
		t.Error("ui_locales changed the login page's language")
	}
}
