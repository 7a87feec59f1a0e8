package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
)

// profileWrittenBeforeVersions is a profile as the portal stored it before
// the record had its own type and version: JSON of the view struct. Open
// sessions carry such records through the upgrade.
const profileWrittenBeforeVersions = `{"professional":{"Civility":"DR","GivenName":"VIRGINIE","FamilyName":"MEDECIN",` +
	`"IDNat":"899700218896","RPPS":"99700218896","ADELI":"","Profession":"Médecin","Specialty":"Médecine générale",` +
	`"ProfessionCode":"10","SpecialtyCode":"SM54","Activities":[{"Organisation":"CABINET DU PARC","FINESS":"750000001",` +
	`"PostalCode":"75011","City":"PARIS"}]},"claims":[{"Source":"id_token","Name":"SubjectNameID","Value":"899700218896"},` +
	`{"Source":"userinfo","Name":"otherIds","Value":"[{\"identifiant\":\"99700218896\"}]"}]}`

// storeProfile replaces the claims recorded with b's PSC session.
func storeProfile(t *testing.T, p *apptest.Portal, b *apptest.Browser, claims string) {
	t.Helper()
	token := b.Cookie("infopatient_session").Value
	rec, err := p.App.Store.ProviderSession(t.Context(), token, p.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	rec.Claims = claims
	if err := p.App.Store.RecordProviderSession(t.Context(), rec); err != nil {
		t.Fatal(err)
	}
}

func TestPSCProfileWrittenBeforeVersionsStillShows(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(pscSignIn(t, b, virginieIDNat))
	storeProfile(t, p, b, profileWrittenBeforeVersions)
	b.Get("/mes-informations")
	for id, want := range map[string]string{
		"profile-psc-name":   "DR VIRGINIE MEDECIN",
		"profile-idnat":      "899700218896",
		"profile-rpps":       "99700218896",
		"profile-specialty":  "Médecine générale",
		"profile-activities": "CABINET DU PARC — FINESS 750000001 — 75011 PARIS",
	} {
		if got := strings.Join(strings.Fields(b.Text(id)), " "); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if n := b.Page.Find(`[data-testid="claim"]`).Length(); n != 2 {
		t.Errorf("%d claims, want 2", n)
	}
	if strings.Contains(p.Logs.String(), "profile unreadable") {
		t.Error("a readable profile was logged as unreadable")
	}
}

// A record this version cannot read leaves the page without it, and says
// so in the log, with the request's id.
func TestPSCProfileUnreadableIsLogged(t *testing.T) {
	t.Parallel()
	for name, claims := range map[string]string{
		"not json":        `{"professional":`,
		"wrong shape":     `{"professional":"VIRGINIE"}`,
		"unknown version": `{"v":99,"professional":{"GivenName":"VIRGINIE"},"claims":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := apptest.Start(t, nil)
			b := p.NewBrowser(t)
			b.Follow(pscSignIn(t, b, virginieIDNat))
			storeProfile(t, p, b, claims)
			req, _ := http.NewRequest(http.MethodGet, p.URL+"/mes-informations", nil)
			req.Header.Set("X-Request-Id", "profile-1")
			r := b.Do(req)
			if r.Status != http.StatusOK || b.Has("profile-psc") || b.Has("claims") {
				t.Errorf("status %d, psc %v, claims %v", r.Status, b.Has("profile-psc"), b.Has("claims"))
			}
			var logged bool
			for _, l := range strings.Split(p.Logs.String(), "\n") {
				logged = logged || strings.Contains(l, "pro santé connect profile unreadable") && strings.Contains(l, "request_id=profile-1")
			}
			if !logged {
				t.Errorf("no log line with the request id:\n%s", p.Logs.String())
			}
		})
	}
}
