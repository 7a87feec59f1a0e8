package web_test

import (
	"net/http"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// "Mes informations" shows the acr received; an ID token without acr
// signs in under the documented rule (read as eidas1, the level asked
// for) and the page says it was absent. Records written before the acr
// was kept show none.
func TestProfileShowsTheACRReceived(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(pscSignIn(t, b, virginieIDNat))
	b.Get("/mes-informations")
	if got := b.Text("profile-acr"); got != "eidas1" && got != "eidas2" {
		t.Errorf("acr shown %q", got)
	}

	p.App.Sandbox.PSC.Misbehave(sandbox.PSCClientID, pscsim.NoACR, false)
	c := p.NewBrowser(t)
	if r := pscSignIn(t, c, virginieIDNat); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("sign-in without acr: %d → %q", r.Status, r.Location)
	}
	for lang, want := range map[string]string{
		"fr": "absent du jeton, lu comme eidas1",
		"de": "fehlt im Token, gelesen als eidas1",
		"en": "absent from the token, read as eidas1",
	} {
		c.Get("/mes-informations?lang=" + lang)
		if got := c.Text("profile-acr"); got != want {
			t.Errorf("%s: acr %q, want %q", lang, got, want)
		}
	}

	storeProfile(t, p, b, profileWrittenBeforeVersions)
	if b.Get("/mes-informations"); b.Has("profile-acr") {
		t.Error("a record without acr shows one")
	}
}
