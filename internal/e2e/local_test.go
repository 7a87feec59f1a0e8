package e2e

import (
	"strings"
	"testing"
	"time"
)

// Demo data the journeys use (data/demo/*.json, README).
const (
	virginieLogin    = "751234567" // VIRGINIE MEDECIN, RPPS 99700218896, PSC idNat 899700218896
	virginieHeader   = "VIRGINIE MEDECIN RPPS 99700218896"
	isabelleLogin    = "931234565" // ISABELLE INFIRMIERE, no linked identity
	demoPassword     = "infopatient"
	camilleNIR       = "2 84 02 75 115 023"
	camilleName      = "MARTIN CAMILLE ANNE"
	camilleBirthDate = "11/02/1984"
)

// birthDates are the dates of birth the demo's NIRs are looked up with:
// the French patients are the ADRi sandbox's beneficiaries
// (data/sandbox/adri-beneficiaries.json), found by NIR, date of birth and
// rank. The last one is nobody's.
var birthDates = map[string]string{
	camilleNIR:           camilleBirthDate,
	"176122A004018":      "03/12/1976",
	"1 99 12 75 999 999": "01/12/1999",
}

// signIn signs in with a local account from the login page.
func (b *tab) signIn(login, password string) {
	b.t.Helper()
	b.open("/")
	b.fill("#login", login)
	b.fill("#password", password)
	b.click(testid("login-submit"))
}

// lookUp submits the identification form; a demo NIR goes with its
// beneficiary's date of birth (rank 1).
func (b *tab) lookUp(identifier string) {
	b.t.Helper()
	b.fill("#identifier", identifier)
	if born, ok := birthDates[identifier]; ok {
		b.fill("#date_naissance", born)
	} else {
		b.step("clear the date of birth", evalVoid(`document.querySelector("#date_naissance").value = ""`))
	}
	b.click(testid("identify-submit"))
}

func TestLocalSignInJourney(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	fr := func(key string, args ...any) string { return h.msg("fr", key, args...) }

	b.open("/")
	b.expect("h1", fr("login.title"))
	b.expect("h1", fr("login.subtitle"))
	b.expect(`label[for="login"]`, fr("login.number"))
	b.expect(`label[for="password"]`, fr("login.password"))
	b.expect(testid("login-psc"), fr("login.psc"))
	if b.attr(testid("login-psc"), "href") == "" {
		t.Error("the e-CPS button leads nowhere in demo mode")
	}

	// A wrong password: one generic message, tied to the fields, the
	// number kept, the password not.
	b.fill("#login", virginieLogin)
	b.fill("#password", "not-the-password")
	b.click(testid("login-submit"))
	b.expectAt("/login")
	b.expect(testid("login-error"), fr("login.failed"))
	if got := b.value("#login"); got != virginieLogin {
		t.Errorf("after a wrong password the number field holds %q, want %q", got, virginieLogin)
	}
	if got := b.value("#password"); got != "" {
		t.Errorf("after a wrong password the password field still holds %d characters", len(got))
	}
	for _, field := range []string{"#login", "#password"} {
		if b.attr(field, "aria-invalid") != "true" || !strings.Contains(b.attr(field, "aria-describedby"), "login-error") {
			t.Errorf("%s is not marked invalid and tied to the message", field)
		}
	}

	// The right password leads to the identification page, with the
	// professional in the header.
	b.fill("#password", demoPassword)
	b.click(testid("login-submit"))
	b.expectAt("/identification")
	b.expectExactly(testid("professional"), virginieHeader)
	b.expect("h1", fr("identify.title"))
	b.expect(`label[for="identifier"]`, fr("identify.label.both"))

	// A NIR of the wrong length and a wrong key: the message is tied to the
	// field, which keeps what was typed.
	for _, c := range []struct{ typed, key string }{
		{"2 84 02 75", "identify.error.nir_length"},
		{camilleNIR + " 19", "identify.error.nir_key"}, // the key is 18
	} {
		b.lookUp(c.typed)
		b.expectAt("/patient")
		b.expect(testid("identify-error"), fr(c.key))
		if got := b.value("#identifier"); got != c.typed {
			t.Errorf("field holds %q after the error, want %q", got, c.typed)
		}
		if b.attr("#identifier", "aria-invalid") != "true" {
			t.Errorf("%q: field not marked aria-invalid", c.typed)
		}
		if !strings.Contains(b.attr("#identifier", "aria-describedby"), "identifier-error") {
			t.Errorf("%q: error not tied to the field (aria-describedby=%q)", c.typed, b.attr("#identifier", "aria-describedby"))
		}
	}

	// A well-formed NIR nobody has, then Camille DUPONT.
	b.lookUp("1 99 12 75 999 999")
	b.expect(testid("identify-error"), fr("rights.error.not_found"))

	b.lookUp(camilleNIR)
	b.expectAtLookup()
	b.expect("h1", fr("patient.title"))
	b.expectExactly(testid("patient-name"), camilleName)
	b.expect(testid("patient-birth-date"), camilleBirthDate)
	b.expect(testid("patient-nir"), camilleNIR)
	b.expect(testid("patient-kind"), fr("rights.kind"))

	// Historique lists the two lookups that reached the patient data, the
	// latest first; malformed numbers were never looked up.
	b.click(mainNav + ` a[href="/historique"]`)
	b.expectAt("/historique")
	b.expect("h1", fr("history.title"))
	rows := b.texts(testid("history-row"))
	if len(rows) != 2 {
		t.Fatalf("history has %d rows, want 2: %q", len(rows), rows)
	}
	// The numbers grouped as on the Carte Vitale.
	if !strings.Contains(rows[0], "2 84 02 75 115 023") || !strings.Contains(rows[0], fr("outcome.found")) ||
		!strings.Contains(rows[0], fr("history.kind.adri")) {
		t.Errorf("latest lookup shows %q", rows[0])
	}
	if !strings.Contains(rows[1], "1 99 12 75 999 999") || !strings.Contains(rows[1], fr("outcome.not_found")) {
		t.Errorf("first lookup shows %q", rows[1])
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.UTC
	}
	today := h.portal.Clock.Now().In(paris).Format("02/01/2006")
	if !strings.HasPrefix(rows[0], today) {
		t.Errorf("lookup date %q, want today (%s) in French format", rows[0], today)
	}

	// Mes informations: the local account, signed in by password.
	b.click(mainNav + ` a[href="/mes-informations"]`)
	b.expectAt("/mes-informations")
	b.expect("h1", fr("profile.title"))
	b.expect(testid("profile-account"), virginieLogin)
	b.expect(testid("profile-method"), fr("profile.method.local"))
	if b.count(testid("claims")) != 0 {
		t.Error("a password sign-in shows a claims table")
	}

	// Logout: back on the login page with a notice, and the pages are
	// closed again.
	b.click(testid("logout"))
	b.expectAt("/")
	b.expect(testid("login-notice"), fr("login.logged_out"))
	if b.count(testid("professional")) != 0 {
		t.Error("the header still shows the professional after logout")
	}
	b.open("/historique")
	b.expectAt("/")
	if got := b.value(`input[name="return"]`); got != "/historique" {
		t.Errorf("after logout /historique leads to the login page with return=%q", got)
	}
}

func TestExpiredSessionAsAUserMeetsIt(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.signIn(virginieLogin, demoPassword)
	b.expectAt("/identification")

	// Half an hour away from the keyboard, then a click on Historique.
	h.portal.Clock.Advance(31 * time.Minute)
	b.click(mainNav + ` a[href="/historique"]`)
	b.expectAt("/")
	b.expect(testid("login-notice"), h.msg("fr", "login.expired"))
	if b.count(testid("professional")) != 0 {
		t.Error("the header still shows the professional after the session expired")
	}

	// Signing in again leads where the professional was going.
	b.fill("#login", virginieLogin)
	b.fill("#password", demoPassword)
	b.click(testid("login-submit"))
	b.expectAt("/historique")
	b.expect(testid("professional"), virginieHeader)

	// The identification page left open over lunch: the number typed
	// after it is not looked up, and nothing is recorded.
	b.click(mainNav + ` a[href="/identification"]`)
	h.portal.Clock.Advance(45 * time.Minute)
	b.lookUp(camilleNIR)
	b.expectAt("/")
	b.expect(testid("login-notice"), h.msg("fr", "login.expired"))
	if b.count(testid("patient-name")) != 0 {
		t.Error("a patient was shown after the session expired")
	}
	b.signIn(virginieLogin, demoPassword)
	b.click(mainNav + ` a[href="/historique"]`)
	b.expect(testid("history-empty"), h.msg("fr", "history.empty"))
}
