package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/nir"
	"github.com/infopatient/infopatient/internal/pscctx"
	"github.com/infopatient/infopatient/internal/sandbox/ctxsim"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/vigilance"
)

// camilleIdentity keeps, as an INSi answer would, Camille DUPONT's INS
// identity (récupérée); qualify also qualifies it with an identity card.
func camilleIdentity(t *testing.T, p *apptest.Portal, qualify bool) {
	t.Helper()
	n, err := nir.Parse(camilleNIR)
	if err != nil {
		t.Fatal(err)
	}
	acct := accountID(t, p, virginie)
	id, err := p.App.Store.SaveINSiResult(t.Context(), store.INSiResult{
		AccountID: acct, Operation: "insi-traits", MessageID: "uuid:1", Code: "00",
		BirthName: "DUPONT", GivenNames: "CAMILLE ANNE", Sex: "F",
		BirthDate: time.Date(1984, 2, 11, 0, 0, 0, 0, time.UTC), BirthPlace: "75115",
		INS: store.INS{Matricule: n.String(), Key: n.Key(), OID: vigilance.OIDNIR},
	})
	if err != nil {
		t.Fatal(err)
	}
	if qualify {
		if _, err := p.App.Store.QualifyIdentity(t.Context(), id.ID, vigilance.CarteIdentite, acct); err != nil {
			t.Fatal(err)
		}
	}
}

// sessionToken is the browser's session token (its cookie's value).
func sessionToken(t *testing.T, b *apptest.Browser) string {
	t.Helper()
	c := b.Cookie("infopatient_session")
	if c == nil {
		t.Fatal("no session cookie")
	}
	return c.Value
}

// pscSignedIn signs b in with PSC as VIRGINIE MEDECIN.
func pscSignedIn(t *testing.T, p *apptest.Portal) *apptest.Browser {
	t.Helper()
	b := p.NewBrowser(t)
	if r := pscSignIn(t, b, virginieIDNat); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("PSC sign-in: %d → %q", r.Status, r.Location)
	}
	return b
}

// share presses "Partager avec mes logiciels" on the patient page and
// returns the notice the page then shows.
func share(t *testing.T, b *apptest.Browser) string {
	t.Helper()
	if !b.Has("share-submit") {
		t.Fatalf("no share button (%s)", b.Text("share-why"))
	}
	r := b.Post("/patient/partager", url.Values{})
	if r.Status != http.StatusSeeOther || r.Location != "/patient" {
		t.Fatalf("share: %d → %q", r.Status, r.Location)
	}
	if r = b.Follow(b.Get("/patient")); r.Status != http.StatusOK {
		t.Fatalf("patient page after sharing: %d", r.Status)
	}
	return b.Text("share-notice")
}

// The tokens of a PSC sign-in are kept sealed beside its record, never in
// the session, and go at logout.
func TestPSCSignInKeepsItsTokensUntilLogout(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := pscSignedIn(t, p)
	token := sessionToken(t, b)
	sealed, err := p.App.Store.ProviderTokens(t.Context(), token)
	if err != nil || len(sealed) == 0 {
		t.Fatalf("no tokens kept for the sign-in (%v)", err)
	}
	if bytes.Contains(sealed, []byte("eyJ")) {
		t.Error("the tokens are kept in clear")
	}
	b.Get("/identification")
	if r := b.Post("/logout", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.Status)
	}
	if sealed, _ := p.App.Store.ProviderTokens(t.Context(), token); len(sealed) != 0 {
		t.Error("the tokens outlive the logout")
	}
}

// A professional shares a qualified patient from one browser and opens
// it from another signed-in browser; both are audited.
func TestShareThenOpenFromAnotherBrowser(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	camilleIdentity(t, p, true)
	a := pscSignedIn(t, p)
	if r := lookUp(t, a, camilleNIR); r.Status != http.StatusOK {
		t.Fatalf("lookup: %d", r.Status)
	}
	if got := share(t, a); !strings.Contains(got, "Patient partagé") {
		t.Fatalf("share notice %q", got)
	}

	b := pscSignedIn(t, p)
	if r := b.Get("/identification"); r.Status != http.StatusOK || !b.Has("shared-submit") {
		t.Fatal("no \"Reprendre le patient partagé\" on the identification page")
	}
	// The shared INS opens the identity identity vigilance keeps of it.
	r := b.Follow(b.Post("/patient/partage", url.Values{}))
	if r.Status != http.StatusOK || b.Text("identity-name") != "DUPONT CAMILLE" {
		t.Fatalf("shared patient: %d %q %s", r.Status, b.Text("identity-name"), b.Text("identify-error"))
	}
	b.Get("/historique")
	outcomes := b.Page.Find(`[data-testid="history"]`).Text()
	for _, want := range []string{"Partage de contexte", "Partagé", "Reprise d'un patient partagé", "Repris"} {
		if !strings.Contains(outcomes, want) {
			t.Errorf("Historique lacks %q", want)
		}
	}
	noSecretsLogged(t, p.Logs.String(), []string{sessionToken(t, a), sessionToken(t, b)})
}

// An identity that is not qualified is not shared: the page says why,
// and a forged POST is refused and audited.
func TestSharingRefusedForANonQualifiedIdentity(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	a := pscSignedIn(t, p)
	lookUp(t, a, camilleNIR)
	if a.Has("share-submit") || !strings.Contains(a.Text("share-why"), "aucune identité INS") {
		t.Errorf("without an INS identity: %q", a.Text("share-why"))
	}
	camilleIdentity(t, p, false)
	a.Follow(a.Get("/patient"))
	if a.Has("share-submit") || !strings.Contains(a.Text("share-why"), "identité qualifiée") {
		t.Errorf("a retrieved identity: %q", a.Text("share-why"))
	}
	if r := a.Post("/patient/partager", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("forged share: %d", r.Status)
	}
	a.Follow(a.Get("/patient"))
	if !strings.Contains(a.Text("share-notice"), "identité qualifiée") {
		t.Errorf("forged share notice %q", a.Text("share-notice"))
	}
	// Nothing reached the API: another browser finds no shared patient.
	b := pscSignedIn(t, p)
	b.Get("/identification")
	if r := b.Post("/patient/partage", url.Values{}); r.Status != http.StatusNotFound || !strings.Contains(b.Text("identify-error"), "Aucun patient partagé") {
		t.Errorf("read back: %d %q", r.Status, b.Text("identify-error"))
	}
}

// Sharing is for PSC sign-ins only.
func TestSharingNeedsAPSCSignIn(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	camilleIdentity(t, p, true)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	lookUp(t, b, camilleNIR)
	if b.Has("share") {
		t.Error("a local sign-in is offered sharing")
	}
	if b.Get("/identification"); b.Has("shared-submit") {
		t.Error("a local sign-in is offered the shared patient")
	}
	for _, path := range []string{"/patient/partager", "/patient/partage"} {
		if r := b.Post(path, url.Values{}); r.Status != http.StatusForbidden {
			t.Errorf("%s: %d", path, r.Status)
		}
	}
}

// The access token (2 minutes) is refreshed before use; once PSC refuses
// the refresh, the professional is asked to sign in with e-CPS again for
// that action, and stays signed in to the portal.
func TestSharingRefreshesThenAsksForECPS(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	camilleIdentity(t, p, true)
	a := pscSignedIn(t, p)
	before, _ := p.App.Store.ProviderTokens(t.Context(), sessionToken(t, a))
	p.Clock.Advance(3 * time.Minute)
	lookUp(t, a, camilleNIR)
	if got := share(t, a); !strings.Contains(got, "Patient partagé") {
		t.Fatalf("share after the access token expired: %q", got)
	}
	if after, _ := p.App.Store.ProviderTokens(t.Context(), sessionToken(t, a)); bytes.Equal(before, after) {
		t.Error("the tokens were not refreshed")
	}
	// The refresh token (30 minutes) and PSC's session run out.
	p.Clock.Advance(25 * time.Minute)
	a.Follow(a.Get("/patient"))
	p.Clock.Advance(10 * time.Minute)
	if got := share(t, a); !strings.Contains(got, "reconnectez-vous avec votre e-CPS") || !a.Has("share-reauth") {
		t.Fatalf("share after PSC's session ended: %q", got)
	}
	signedInAs(t, a, "VIRGINIE MEDECIN RPPS 99700218896")
}

// The API unavailable; the API handing back another professional's
// context (its known defect), which is refused.
func TestSharedPatientFailures(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	camilleIdentity(t, p, true)
	// Isabelle links her PSC identity, then shares Camille.
	c := p.NewBrowser(t)
	if r := pscSignIn(t, c, isabelleIDNat); r.Status != http.StatusSeeOther || r.Location != "/auth/link" {
		t.Fatalf("Isabelle: %d → %q", r.Status, r.Location)
	}
	c.Get("/auth/link")
	if r := c.Post("/auth/link", url.Values{"login": {isabelle}, "password": {demo.Password}}); r.Status != http.StatusSeeOther {
		t.Fatalf("link: %d", r.Status)
	}
	lookUp(t, c, camilleNIR)
	p.App.Sandbox.PSCContext.Misbehave(ctxsim.FaultUnavailable, 1)
	if got := share(t, c); !strings.Contains(got, "indisponible") {
		t.Errorf("API down: %q", got)
	}
	if got := share(t, c); !strings.Contains(got, "Patient partagé") {
		t.Fatalf("share after a link: %q", got)
	}
	a := pscSignedIn(t, p)
	a.Get("/identification")
	p.App.Sandbox.PSCContext.Misbehave(ctxsim.FaultCrossProfessional, 1)
	if r := a.Post("/patient/partage", url.Values{}); r.Status != http.StatusNotFound || a.Has("patient-name") {
		t.Errorf("another professional's context: %d %q", r.Status, a.Text("patient-name"))
	}
}

// A patient another of the professional's applications shared, of whom
// the portal keeps no INS identity, opens the form filled in from the
// context (number and date of birth), for the professional to ask for
// the rights; the read is audited.
func TestSharedPatientWithoutAnINSIdentityFillsTheForm(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := pscSignedIn(t, p)

	// The other application shares with the same professional's token.
	token, err := p.App.Web.PSCTokens.For(sessionToken(t, b)).Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	other, err := pscctx.New(p.App.Sandbox.PSCContextURL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := nir.Parse(camilleNIR)
	if _, err := other.SharePatient(t.Context(), token, virginieIDNat, pscctx.PatientInfo{Patient: pscctx.Patient{
		INS: n.String() + n.Key(), FirstName: "CAMILLE", LastName: "DUPONT", DOB: camilleBirth,
	}}); err != nil {
		t.Fatal(err)
	}

	b.Get("/identification")
	r := b.Post("/patient/partage", url.Values{})
	if r.Status != http.StatusOK || !strings.Contains(b.Text("identify-notice"), "Patient partagé repris") {
		t.Fatalf("shared patient: %d %q %q", r.Status, b.Text("identify-notice"), b.Text("identify-error"))
	}
	form := b.Page.Find(`[data-testid="identify-form"]`)
	number, _ := form.Find(`input[name="identifier"]`).Attr("value")
	birth, _ := form.Find(`input[name="date_naissance"]`).Attr("value")
	if number != n.Formatted() || birth != camilleBirth {
		t.Fatalf("form filled with %q, %q; want %q, %q", number, birth, n.Formatted(), camilleBirth)
	}
	// Nothing was asked of ADRi yet: the professional asks.
	r = followLookup(t, b, b.Post("/patient", url.Values{"identifier": {number}, "date_naissance": {birth}}))
	if r.Status != http.StatusOK || b.Text("rights-centre") != "0001" {
		t.Fatalf("rights of the shared patient: %d %q", r.Status, b.Text("rights-centre"))
	}
	b.Get("/historique")
	if h := b.Page.Find(`[data-testid="history"]`).Text(); !strings.Contains(h, "Reprise d'un patient partagé") {
		t.Errorf("Historique lacks the read: %s", h)
	}
}
