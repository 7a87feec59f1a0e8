package e2e

import (
	"strings"
	"testing"
	"time"
)

// lookUpRights fills NIR, date of birth and rank, and submits.
func (b *tab) lookUpRights(assure, born, rank string) {
	b.t.Helper()
	b.fill("#identifier", assure)
	b.fill("#date_naissance", born)
	b.fill("#rang_naissance", rank)
	b.click(testid("identify-submit"))
}

// NIR + date of birth + rank → the rights page, in the three languages,
// on a phone: a twin by rank, an ALD that stands out, closed rights, an
// unknown beneficiary whose values stay in the form; the page answered
// fits the screen, passes the audit, and a language switch shows the
// same rights without asking ADRi again.
func TestRightsJourneyOnAPhone(t *testing.T) {
	h := start(t, nil)
	for _, lang := range []string{"fr", "de", "en"} {
		t.Run(lang, func(t *testing.T) {
			msg := func(key string, args ...any) string { return h.msg(lang, key, args...) }
			b := h.newTab(lang)
			b.step("phone window", emulatePhone())
			b.signIn(virginieLogin, demoPassword)
			b.expectAt("/identification")
			b.expect(`label[for="date_naissance"]`, msg("rights.field.birth_date"))
			b.fitsScreen("identification page")

			// NESSI RAFFAELLO: a child on his father's NIR, twin of rank 2.
			b.lookUpRights("1 75 08 63 220 719", "07/08/2010", "2")
			b.expectAtLookup()
			b.expectExactly(testid("patient-name"), "NESSI RAFFAELLO")
			b.expectExactly(testid("rights-rank"), "2")
			today := h.portal.Clock.Now()
			paris, err := time.LoadLocation("Europe/Paris")
			if err == nil {
				today = today.In(paris)
			}
			ref := h.catalog.For(lang).Date(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC))
			b.expectExactly(testid("patient-rights"), msg("rights.open_at", ref))
			b.expect(testid("rights-source"), strings.SplitN(msg("rights.source", ref), "(", 2)[0])
			if b.count(testid("rights-amo-period")+`[data-current="true"]`) != 1 {
				t.Error("the AMO period in force is not marked")
			}
			b.fitsScreen("rights page")
			b.audit("rights page (" + lang + ")")

			// Récupérer l'INS: the traits search, prefilled by a form that
			// posts them (no trait in a URL).
			if name, birth := b.attr(`form.inline-form input[name="typed_birth_name"]`, "value"), b.attr(`form.inline-form input[name="birth_date"]`, "value"); name != "NESSI" || birth != "2010-08-07" {
				t.Errorf("Récupérer l'INS posts %q, %q", name, birth)
			}

			// ADRTROIS TOUSSAINT: the ALD stands out, not as a mere "yes".
			b.click(testid("patient-new"))
			b.lookUpRights("1 60 01 2B 020 777", "01/01/1960", "1")
			b.expect(testid("rights-ald"), "08")
			b.expect(testid("rights-ald-badge"), msg("rights.ald_badge"))
			b.fitsScreen("rights page with an ALD")

			// ADRDEUX GUNTHER: rights closed since 2012.
			b.click(testid("patient-new"))
			b.lookUpRights("1 70 06 47 123 045", "17/06/2001", "1")
			b.expectExactly(testid("patient-rights"), msg("rights.closed_at", ref))
			b.expect(testid("rights-closed"), msg("rights.closed_help"))

			// The same rights in another language: the page shown again.
			other := map[string]string{"fr": "de", "de": "en", "en": "fr"}[lang]
			calls := h.portal.App.Sandbox.ADRi.Requests()
			b.switchLanguage(other)
			b.expectAtLookup()
			b.expectExactly(testid("patient-rights"), h.msg(other, "rights.closed_at", h.catalog.For(other).Date(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC))))
			if n := h.portal.App.Sandbox.ADRi.Requests() - calls; n != 0 {
				t.Errorf("the language switch asked ADRi %d times", n)
			}
			b.switchLanguage(lang)

			// Unknown: the values stay, the error under the number.
			b.click(testid("patient-new"))
			b.lookUpRights(camilleNIR, "12/02/1984", "1")
			b.expect(testid("identify-error"), msg("rights.error.not_found"))
			if b.value("#identifier") != camilleNIR || b.value("#date_naissance") != "12/02/1984" || b.value("#rang_naissance") != "1" {
				t.Errorf("the form lost what was typed: %q %q %q", b.value("#identifier"), b.value("#date_naissance"), b.value("#rang_naissance"))
			}
			b.fitsScreen("identification page with an unknown beneficiary")
		})
	}
}
