package e2e

import (
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// pscCard is a test CPS card / e-CPS of the Pro Santé Connect sandbox
// (data/sandbox/psc-professionals.json).
type pscCard struct {
	idNat, name, header string
}

var (
	virginiePSC = pscCard{idNat: "899700218896", name: "VIRGINIE MEDECIN", header: virginieHeader}
	isabellePSC = pscCard{idNat: "899700218912", name: "ISABELLE INFIRMIERE", header: "ISABELLE INFIRMIERE RPPS 99700218912"}
)

const (
	pscCardCode = "1234"                                        // every test card's code
	pscIssuer   = "/sandbox/psc/auth/realms/esante-wallet"      // the sandbox's issuer path
	pscLogout   = pscIssuer + "/protocol/openid-connect/logout" // its end-session endpoint
	pscAuthPage = pscIssuer + "/protocol/openid-connect/auth"   // its e-CPS page
)

// chooseAtPSC picks a card on the sandbox's e-CPS page, types its code and
// confirms.
func (b *tab) chooseAtPSC(card pscCard) {
	b.t.Helper()
	if !strings.HasPrefix(b.path(), pscAuthPage) {
		b.fatalf("not on the e-CPS page of the Pro Santé Connect sandbox")
	}
	b.step("choose "+card.name, chromedp.Click(chromedp.CSS(testid("psc-card-"+card.idNat)), chromedp.NodeVisible))
	b.fill(testid("psc-code"), pscCardCode)
	b.click(testid("psc-submit"))
}

// signInWithPSC presses "SE CONNECTER par e-CPS" and picks card.
func (b *tab) signInWithPSC(card pscCard) {
	b.t.Helper()
	b.open("/")
	b.click(testid("login-psc"))
	b.chooseAtPSC(card)
}

// requests records the URLs of the documents the tab loads from now on.
type requests struct {
	mu   sync.Mutex
	urls []string
}

func (b *tab) recordRequests() *requests {
	b.t.Helper()
	r := &requests{}
	err := chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Type == network.ResourceTypeDocument {
			r.mu.Lock()
			r.urls = append(r.urls, e.Request.URL)
			r.mu.Unlock()
		}
	})
	if err != nil {
		b.t.Fatal(err)
	}
	return r
}

// went reports whether a document was requested at a URL holding path.
func (r *requests) went(path string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, u := range r.urls {
		if strings.Contains(u, path) {
			return true
		}
	}
	return false
}

func TestPSCSignInJourney(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	fr := func(key string, args ...any) string { return h.msg("fr", key, args...) }

	b.open("/")
	b.click(testid("login-psc"))
	if !strings.HasPrefix(b.path(), pscAuthPage) {
		t.Fatalf("SE CONNECTER par e-CPS leads to %s, want the sandbox's e-CPS page", b.path())
	}
	if b.lang() != "fr" || b.text(testid("psc-sandbox-env")) == "" {
		t.Errorf("the e-CPS page is in %q, with banner %q", b.lang(), b.text(testid("psc-sandbox-env")))
	}
	b.expect(testid("psc-form"), virginiePSC.name)
	b.expect(testid("psc-form"), virginiePSC.idNat)

	// A wrong card code stays at PSC, which says so.
	b.step("choose "+virginiePSC.name, chromedp.Click(chromedp.CSS(testid("psc-card-"+virginiePSC.idNat)), chromedp.NodeVisible))
	b.fill(testid("psc-code"), "0000")
	b.click(testid("psc-submit"))
	b.expect(testid("psc-error"), pscCardCode)

	b.chooseAtPSC(virginiePSC)
	b.expectAt("/identification")
	b.expectExactly(testid("professional"), virginiePSC.header)
	b.expect("h1", fr("identify.title"))

	// Mes informations: what PSC said, and every claim it sent.
	b.click(mainNav + ` a[href="/mes-informations"]`)
	b.expect(testid("profile-method"), fr("profile.method.psc"))
	b.expect(testid("profile-psc-name"), "VIRGINIE")
	b.expect(testid("profile-idnat"), virginiePSC.idNat)
	b.expect(testid("profile-rpps"), "99700218896")
	b.expect(testid("profile-activities"), "CABINET DU DR VIRGINIE MEDECIN")
	claims := b.texts(testid("claim"))
	for _, want := range []string{"SubjectNameID", "given_name", "family_name", "SubjectRefPro", "acr", "nonce"} {
		found := false
		for _, c := range claims {
			found = found || strings.Contains(c, want)
		}
		if !found {
			t.Errorf("claims table lacks %s; it shows %d rows", want, len(claims))
		}
	}
	sources := strings.Join(claims, "\n")
	if !strings.Contains(sources, "id_token") || !strings.Contains(sources, "userinfo") {
		t.Errorf("claims table does not say where each claim came from:\n%s", sources)
	}

	// Historique: nothing looked up yet.
	b.click(mainNav + ` a[href="/historique"]`)
	b.expect(testid("history-empty"), fr("history.empty"))

	// Logout goes through PSC's end-session endpoint and back.
	reqs := b.recordRequests()
	b.click(testid("logout"))
	if !reqs.went(pscLogout) {
		t.Errorf("logout after e-CPS did not go through PSC's logout; documents loaded: %q", reqs.urls)
	}
	if !reqs.went("/auth/psc/logout-callback") {
		t.Errorf("PSC did not send the browser back to the portal's logout callback: %q", reqs.urls)
	}
	b.expectAt("/")
	b.expect(testid("login-notice"), fr("login.logged_out"))
	b.open("/identification")
	b.expectAt("/")
	if b.count(testid("professional")) != 0 {
		t.Error("signed in after the provider's logout")
	}
}

func TestPSCFirstSignInLinksTheAccount(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	fr := func(key string, args ...any) string { return h.msg("fr", key, args...) }

	b.signInWithPSC(isabellePSC)
	b.expectAt("/auth/link")
	b.expect("h1", fr("link.title"))
	b.expect(testid("link"), fr("link.recognised.psc"))
	b.expect(testid("link-who"), isabellePSC.name)
	if b.count(testid("professional")) != 0 {
		t.Error("an unlinked identity shows as signed in")
	}

	// Another professional's password does not link.
	b.fill("#login", isabelleLogin)
	b.fill("#password", "wrong-password")
	b.click(testid("link-submit"))
	b.expect(testid("link-error"), fr("link.failed"))
	if b.attr("#password", "aria-invalid") != "true" || b.attr("#password", "aria-describedby") != "link-error" {
		t.Error("link error not tied to the fields")
	}
	if got := b.value("#login"); got != isabelleLogin {
		t.Errorf("number field holds %q after the error", got)
	}

	b.fill("#password", demoPassword)
	b.click(testid("link-submit"))
	b.expectAt("/identification")
	b.expectExactly(testid("professional"), isabellePSC.header)
	b.click(mainNav + ` a[href="/mes-informations"]`)
	b.expect(testid("profile-account"), isabelleLogin)
	b.expect(testid("profile-identities"), isabellePSC.idNat)

	// Linked now: the next e-CPS sign-in goes straight in.
	b.click(testid("logout"))
	b.expect(testid("login-notice"), fr("login.logged_out"))
	b.signInWithPSC(isabellePSC)
	b.expectAt("/identification")
	b.expect(testid("professional"), isabellePSC.header)
}

func TestPSCSignInCancelledAtTheProvider(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.open("/")
	b.click(testid("login-psc"))
	b.click(testid("psc-cancel"))
	b.expect(testid("error-title"), h.msg("fr", "auth.cancelled.title"))
	b.expect(testid("error-message"), h.msg("fr", "auth.cancelled.body"))
	if b.count(testid("professional")) != 0 {
		t.Error("cancelling at PSC signed the professional in")
	}
}
