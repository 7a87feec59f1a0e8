package cluster

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/nir"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/vigilance"
)

// A PSC sign-in's access token that both instances need refreshed at the
// same moment is refreshed once: PSC's refresh tokens rotate, and a
// second refresh with the same one would end the sign-in's tokens (the
// share would then ask for e-CPS again).
func TestPSCRefreshNeededByBothInstancesIsDoneOnce(t *testing.T) {
	c := startCluster(t, options{})
	qualifyCamille(t, c)
	b := c.browser()
	if r := b.Get(pscCallback(t, b, c.lb.url()+"/auth/psc/login", virginieIDNat)); r.Status != http.StatusSeeOther {
		t.Fatalf("PSC sign-in: %d", r.Status)
	}
	b.Get(c.a.URL + "/identification")
	r := b.Post(c.a.URL+"/patient", url.Values{"identifier": {camilleNIR}, "date_naissance": {"1984-02-11"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("lookup: %d", r.Status)
	}
	if r = b.Get(c.a.URL + r.Location); r.Status != http.StatusOK {
		t.Fatalf("lookup's page: %d", r.Status)
	}
	csrf := csrfToken(t, b)
	// The 2-minute access token has expired on both instances.
	for _, p := range c.portals() {
		p.Clock.Advance(3 * time.Minute)
	}
	arrived := c.gate.hold("refresh_token")
	share := func(base string) int {
		resp, err := b.Client.PostForm(base+"/patient/partager", url.Values{"_csrf": {csrf}})
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	var status [2]int
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); status[0] = share(c.a.URL) }()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		c.gate.open()
		wg.Wait()
		t.Fatal("instance A never asked PSC for a refresh")
	}
	wg.Add(1)
	go func() { defer wg.Done(); status[1] = share(c.b.URL) }()
	select {
	case <-arrived:
		t.Error("instance B asked PSC for a refresh while A's was in flight")
	case <-time.After(overlapWindow):
	}
	c.gate.open()
	wg.Wait()
	if status != [2]int{http.StatusSeeOther, http.StatusSeeOther} {
		t.Fatalf("shares answered %v", status)
	}
	acct, err := c.a.App.Store.AccountByLogin(t.Context(), virginie)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := c.a.App.Store.RecentLookups(t.Context(), acct.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	shared := 0
	for _, l := range rows {
		if l.Kind == "psc-share" && l.Outcome == "shared" {
			shared++
		}
	}
	if shared != 2 {
		t.Errorf("%d shares went through, want both (audit %+v)", shared, rows)
	}
}

// qualifyCamille keeps Camille DUPONT's INS identity, qualified.
func qualifyCamille(t *testing.T, c *cluster) {
	t.Helper()
	n, err := nir.Parse(camilleNIR)
	if err != nil {
		t.Fatal(err)
	}
	s := c.a.App.Store
	acct, err := s.AccountByLogin(t.Context(), virginie)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.SaveINSiResult(t.Context(), store.INSiResult{
		AccountID: acct.ID, Operation: "insi-traits", MessageID: "uuid:1", Code: "00",
		BirthName: "DUPONT", GivenNames: "CAMILLE ANNE", Sex: "F",
		BirthDate: time.Date(1984, 2, 11, 0, 0, 0, 0, time.UTC), BirthPlace: "75115",
		INS: store.INS{Matricule: n.String(), Key: n.Key(), OID: vigilance.OIDNIR},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.QualifyIdentity(t.Context(), id.ID, vigilance.CarteIdentite, acct.ID); err != nil {
		t.Fatal(err)
	}
}
