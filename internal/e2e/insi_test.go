package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// setValue sets a field's value as a date picker does: typed dates go
// through the browser's own date widget, whose keys depend on its locale.
func (b *tab) setValue(sel, value string) {
	b.t.Helper()
	b.step("set "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), evalVoid(`document.querySelector(`+js(sel)+`).value = `+js(value)))
}

// The INSi journey on a phone, in each language: the traits as typed
// (lower case, accents, the commune's name), the normalised form
// confirmed, the identity récupérée with its warning, then qualified
// against an identity card and shown qualifiée with the matricule
// formatted and shareable. Screenshots when asked for.
func TestINSiJourneyOnAPhone(t *testing.T) {
	dir := screenshotDir(t)
	h := start(t, nil)
	for _, c := range []struct {
		lang, acceptLanguage               string
		name, first, sex, date, place, cog string
		matricule                          string
	}{
		{"fr", frenchBrowser, "adrun", "zoé", "F", "1975-12-31", "Mazoires", "63220", "2 75 12 63 220 749 74"},
		{"de", "de-DE,de", "Nessi", "Michelangelo", "M", "2010-08-07", "63220", "63220", "1 10 08 63 220 830 60"},
		{"en", "en-GB,en", "tchitchi", "ola catarina", "F", "1936-06-21", "", "", "2 36 06 63 220 836 56"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			b := h.newTab(c.acceptLanguage)
			b.t = t
			b.step("phone", emulatePhone())
			msg := func(key string, args ...any) string { return h.msg(c.lang, key, args...) }
			b.signIn(virginieLogin, demoPassword)
			b.expectAt("/identification")
			b.expect(testid("traits"), msg("insi.traits.title"))
			b.fitsScreen("identification with traits")
			b.fill("#traits-birth_name", c.name)
			b.fill("#traits-first_names", c.first)
			b.step("sex", chromedp.Click(chromedp.CSS(`input[name="sex"][value="`+c.sex+`"]`), chromedp.NodeVisible))
			b.setValue("#traits-birth_date", c.date)
			if c.place != "" {
				b.fill("#traits-birth_place", c.place)
			}
			b.click(testid("traits-submit"))
			b.expect("h1", msg("insi.confirm.title"))
			if c.lang == "fr" {
				b.expect(testid("traits-normalised"), msg("insi.confirm.changed"))
				b.expect(testid("confirm-first_names"), "ZOE")
				if b.count(testid("commune-"+c.cog)) != 1 {
					b.fatalf("Mazoires is not offered")
				}
			}
			b.fitsScreen("confirmation")
			if dir != "" {
				b.shoot(dir, "insi-confirm-"+c.lang+"-phone")
			}
			b.click(testid("confirm-search"))
			b.expect(testid("identity-status"), msg("insi.status.RECUP"))
			b.expect(testid("identity-warning"), msg("insi.warning.RECUP"))
			b.expect(testid("ins-sharing"), msg("insi.identity.not_shareable"))
			b.fitsScreen("identity récupérée")
			if dir != "" {
				b.shoot(dir, "insi-recuperee-"+c.lang+"-phone")
			}
			b.step("document", chromedp.SetValue(chromedp.CSS("#qualify-document"), "CN"))
			b.step("traits match", chromedp.Click(chromedp.CSS(testid("qualify-match")), chromedp.NodeVisible))
			b.click(testid("qualify-submit"))
			b.expect(testid("identity-status"), msg("insi.status.QUAL"))
			b.expectExactly(testid("ins-matricule"), c.matricule)
			b.expect(testid("ins-sharing"), msg("insi.identity.shareable"))
			b.expect(testid("identity-qualification"), msg("insi.doc.CN"))
			if b.count(testid("identity-warning")) != 0 {
				b.errorf("a qualified identity still warns")
			}
			b.fitsScreen("identity qualifiée")
			if dir != "" {
				b.shoot(dir, "insi-qualifiee-"+c.lang+"-phone")
			}
		})
	}
}

// The same journey with the keyboard only: every control of the traits
// form, the confirmation and the qualification is reached with Tab and
// used with the keys a person would press.
func TestINSiKeyboardOnly(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.signIn(virginieLogin, demoPassword)
	b.expectAt("/identification")
	b.tabTo("#traits-birth_name")
	b.keys("type the birth name", "NESSI")
	b.tabTo("#traits-first_names")
	b.keys("type the first names", "MICHELANGELO")
	b.tabTo(`input[name="sex"][value="F"]`)
	b.keys("M with the arrow key", kb.ArrowDown)
	if !eval[bool](b, `document.querySelector('input[name="sex"][value="M"]').checked`) {
		b.fatalf("the arrow key did not choose M")
	}
	b.tabTo("#traits-birth_date")
	// The date widget's keys follow the browser's locale; its value is
	// what the form sends.
	b.setValue("#traits-birth_date", "2010-08-07")
	b.tabTo("#traits-birth_place")
	b.keys("type the birthplace", "Mazoires")
	b.pressEnter("Enter in the traits form")
	b.expect("h1", h.msg("fr", "insi.confirm.title"))
	b.tabTo(testid("confirm-search"))
	b.pressEnter("Enter on « Confirmer et rechercher »")
	b.expect(testid("identity-status"), h.msg("fr", "insi.status.RECUP"))
	b.tabTo("#qualify-document")
	b.keys("choose the first document", kb.ArrowDown)
	b.tabTo(testid("qualify-match"))
	b.keys("tick the box", " ")
	b.tabTo(testid("qualify-submit"))
	b.pressEnter("Enter on « Qualifier l'identité »")
	b.expect(testid("identity-status"), h.msg("fr", "insi.status.QUAL"))
	b.expectExactly(testid("ins-matricule"), "1 10 08 63 220 830 60")
}
