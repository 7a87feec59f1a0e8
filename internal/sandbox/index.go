package sandbox

import (
	"embed"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/covercardsim"
	"github.com/infopatient/infopatient/internal/sandbox/ctxsim"
	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
	"github.com/infopatient/infopatient/internal/sandbox/internal/simstyle"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// The index page speaks French, German and English, like the
// simulators; its messages are in locales/, one file per language.
//
//go:embed locales/*.json
var localeFiles embed.FS

// The messages are parsed on first use, not at start-up:
// the portal links the simulators but, out of demo mode, never serves them.
var catalogue = sync.OnceValue(func() *pagelang.Catalogue { return pagelang.MustLoad(localeFiles, "locales") })

func text(lang, key string, args ...any) string { return catalogue().Text(lang, key, args...) }

// indexLink is one entry of the index: what it is, the URL it opens
// (Href, none for an endpoint only the portal calls), the endpoint (URL,
// Href without its query when not given) and a hint.
type indexLink struct {
	Label, Href, URL, Hint, TestID string
}

// withEndpoints fills in each link's endpoint from its Href.
func withEndpoints(links []indexLink) []indexLink {
	for i, l := range links {
		if l.URL == "" {
			l.URL, _, _ = strings.Cut(l.Href, "?")
			links[i] = l
		}
	}
	return links
}

// indexItem is a test identity or card as the index lists it.
type indexItem struct {
	Name, ID, Detail, Note string
}

type indexPage struct {
	pagelang.Chrome
	Intro, Portal, PortalURL                    string
	PSCTitle, HINTitle, CovercardTitle          string
	PSC, HIN, Covercard                         []indexLink
	CardsTitle, IdentitiesTitle, InsuranceTitle string
	Cards, Identities, Insurance                []indexItem
	// ADRi (rights) and its test beneficiaries.
	ADRiTitle, BeneficiariesTitle string
	ADRi                          []indexLink
	Beneficiaries                 []indexItem
	INSiTitle, INSiPersonasTitle  string
	INSi                          []indexLink
	INSiPersonas                  []indexItem
	// Brand is the masthead's tag.
	Brand string
	// The demo portal's accounts and patients, first on the page.
	DemoTitle, AccountsTitle, PasswordLabel, Password, NIRsTitle string
	Accounts                                                     []demoAccountItem
	NIRs                                                         []demoNIRItem
}

// demoAccountItem is a demo account as the index lists it.
type demoAccountItem struct {
	Login, Name, Profession, Identity string
}

// demoNIRItem is a demo patient's number, whose it is and what shows.
type demoNIRItem struct {
	NIR, Name, Note string
}

// serveIndex is the sandbox's home page: the three simulators with their
// key URLs, and the test identities and cards they load, so that a demo
// can be walked from one page.
func (sb *Sandbox) serveIndex(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	lang := pagelang.Pick(r.Header.Get("Accept-Language"), q.Get("lang"), q.Get("ui_locales"))
	d := indexPage{
		Chrome: pagelang.Chrome{
			Lang: lang, Title: text(lang, "index.title"), Banner: text(lang, "index.env"),
			Stylesheet:     simstyle.Href(strings.TrimSuffix(r.URL.Path, "/")),
			Brand:          text(lang, "index.brand"),
			LanguagesLabel: text(lang, "index.languages"),
			Languages:      pagelang.Switcher(r.URL.Path, url.Values{}, "lang", lang),
		},
		Intro: text(lang, "index.intro"), Portal: text(lang, "index.portal"), PortalURL: sb.cfg.PortalURL + "/",
		PSCTitle: text(lang, "index.psc"), HINTitle: text(lang, "index.hin"), CovercardTitle: text(lang, "index.covercard"),
		CardsTitle:      text(lang, "index.psc.cards", pscsim.CardCode),
		IdentitiesTitle: text(lang, "index.hin.identities"),
		InsuranceTitle:  text(lang, "index.covercard.cards"),
	}
	issuer := sb.PSCIssuer()
	d.PSC = []indexLink{
		{Label: text(lang, "index.psc.issuer"), URL: issuer, TestID: "sandbox-psc-issuer"},
		{Label: text(lang, "index.psc.discovery"), Href: issuer + "/.well-known/openid-configuration", TestID: "sandbox-psc-discovery"},
		{Label: text(lang, "index.psc.wallet_discovery"), Href: issuer + "/.well-known/wallet-openid-configuration", TestID: "sandbox-psc-wallet-discovery"},
		{Label: text(lang, "index.psc.card_page", pscsim.CardCode), Href: sb.pscCardPageURL(lang), Hint: text(lang, "index.from_portal"), TestID: "sandbox-psc-cards"},
		{Label: text(lang, "index.psc.sessions"), Href: sb.PSCSessionsURL() + "?" + url.Values{"ui_locales": {lang}}.Encode(), Hint: text(lang, "index.psc.sessions_hint"), TestID: "sandbox-psc-sessions"},
		{Label: text(lang, "index.psc.context"), URL: sb.PSCContextURL() + ctxsim.SharePath, Hint: text(lang, "index.psc.context_hint"), TestID: "sandbox-psc-context"},
		{Label: text(lang, "index.psc.ecps_app"), Href: sb.PSCECPSAppURL() + "?" + url.Values{"ui_locales": {lang}}.Encode(), Hint: text(lang, "index.psc.ecps_app_hint"), TestID: "sandbox-psc-ecps-app"},
	}
	d.HIN = []indexLink{
		{Label: text(lang, "index.hin.authorize", TokenGroup), Href: sb.hinAuthorizeURL(), Hint: text(lang, "index.from_portal"), TestID: "sandbox-hin-authorize"},
		{Label: text(lang, "index.hin.manual", TokenGroup), Href: sb.HIN.ManualURL(TokenGroup), Hint: text(lang, "index.hin.manual_hint"), TestID: "sandbox-hin-manual"},
		{Label: text(lang, "index.hin.token"), URL: sb.HINTokenURL(), TestID: "sandbox-hin-token"},
		{Label: text(lang, "index.hin.sds", hinsim.SDSTokenGroup), URL: sb.HINSDSURL() + "/api/public/v1/self/", Hint: text(lang, "index.hin.sds_hint"), TestID: "sandbox-hin-sds"},
	}
	d.Covercard = []indexLink{
		{Label: text(lang, "index.covercard.servlet"), URL: sb.CovercardURL(), Hint: text(lang, "index.covercard.servlet_hint"), TestID: "sandbox-covercard-servlet"},
	}
	for _, p := range sb.pros {
		d.Cards = append(d.Cards, indexItem{Name: p.DisplayName(), ID: "idNat " + p.IDNat, Detail: p.Label.In(lang), Note: p.Note.In(lang)})
	}
	for _, id := range sb.ids {
		d.Identities = append(d.Identities, indexItem{Name: id.DisplayName(), ID: id.HINID, Detail: id.ProfessionIn(lang), Note: id.NoteIn(lang)})
	}
	for _, c := range sb.cards {
		item := indexItem{ID: c.Number, Detail: text(lang, scenarioKey(c))}
		if c.Person != nil {
			item.Name = c.Person.FirstName + " " + c.Person.OfficialName
		}
		d.Insurance = append(d.Insurance, item)
	}
	sb.indexADRi(&d, lang)
	d.INSiTitle, d.INSiPersonasTitle = text(lang, "index.insi"), text(lang, "index.insi.personas")
	d.INSi = []indexLink{
		{Label: text(lang, "index.insi.endpoint"), URL: sb.INSiURL(), Hint: text(lang, "index.insi.endpoint_hint", INSiIDAM, INSiSandboxCN), TestID: "sandbox-insi-endpoint"},
	}
	for _, p := range sb.insi {
		item := indexItem{Name: p.DisplayName(), ID: p.Sex + " " + p.BirthDate, Detail: p.ShowsIn(lang), Note: p.Source}
		if p.INS != nil {
			item.ID += " — INS " + p.INS.Num + " " + p.INS.Key
		}
		d.INSiPersonas = append(d.INSiPersonas, item)
	}
	sb.indexDemo(&d, lang)
	d.PSC, d.HIN, d.Covercard = withEndpoints(d.PSC), withEndpoints(d.HIN), withEndpoints(d.Covercard)
	pagelang.Render(w, http.StatusOK, indexCSP, indexView(d))
}

// indexADRi lists the ADRi endpoint and the beneficiaries it knows, by
// the three inputs the portal asks; those the demo section lists first
// are not listed twice.
func (sb *Sandbox) indexADRi(d *indexPage, lang string) {
	d.ADRiTitle, d.BeneficiariesTitle = text(lang, "index.adri"), text(lang, "index.adri.beneficiaries")
	d.ADRi = []indexLink{{Label: text(lang, "index.adri.endpoint"), URL: sb.ADRiURL(),
		Hint: text(lang, "index.adri.endpoint_hint", ADRiIDAM), TestID: "sandbox-adri-endpoint"}}
	for _, b := range sb.ADRi.Beneficiaries() {
		if sb.cfg.Demo.isDemoPatient(b.AssureNIR, b.BirthDate) {
			continue
		}
		note := b.Note.In(lang)
		if note == "" {
			note = text(lang, "index.adri.demo_patient")
		}
		d.Beneficiaries = append(d.Beneficiaries, indexItem{Name: b.DisplayName(),
			ID:     text(lang, "index.adri.key", b.AssureNIR, b.BirthDate, b.Rank),
			Detail: b.RegimeLabel + " · " + b.Caisse, Note: note})
	}
}

// indexDemo lists the demo portal's accounts, their password and its
// patients' NIRs, when the portal handed them over.
func (sb *Sandbox) indexDemo(d *indexPage, lang string) {
	demo := sb.cfg.Demo
	if len(demo.Accounts) == 0 && len(demo.Patients) == 0 {
		return
	}
	d.DemoTitle, d.AccountsTitle, d.NIRsTitle = text(lang, "index.demo"), text(lang, "index.demo.accounts"), text(lang, "index.demo.nirs")
	d.PasswordLabel, d.Password = text(lang, "index.demo.password"), demo.Password
	for _, a := range demo.Accounts {
		item := demoAccountItem{Login: a.Login, Name: a.Name, Profession: a.Profession}
		switch {
		case a.PSC != "":
			item.Identity = text(lang, "index.demo.linked_psc", a.PSC)
		case a.HIN != "":
			item.Identity = text(lang, "index.demo.linked_hin", a.HIN)
		case a.GLN != "":
			item.Identity = text(lang, "index.demo.gln", a.GLN)
		default:
			item.Identity = text(lang, "index.demo.unlinked")
		}
		d.Accounts = append(d.Accounts, item)
	}
	for _, p := range demo.Patients {
		var notes []string
		if p.ALD {
			notes = append(notes, text(lang, "index.demo.ald"))
		}
		if until, err := time.Parse(time.DateOnly, p.RightsUntil); err == nil {
			notes = append(notes, text(lang, "index.demo.rights_until", until.Format(text(lang, "index.demo.date"))))
		}
		d.NIRs = append(d.NIRs, demoNIRItem{NIR: groupNIR(p.NIR), Name: p.Name, Note: strings.Join(notes, " · ")})
	}
}

// look is the sandbox's own masthead.
var look = pagelang.Look{Class: "index", Mark: "SIM", Name: "InfoPatient", BannerTestID: "sandbox-env"}

// indexCSP lets the index use the simulators' stylesheet, and nothing else.
const indexCSP = "default-src 'none'; style-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

// scenarioKey is the message naming what a test card demonstrates.
func scenarioKey(c covercardsim.Card) string {
	if c.Scenario == covercardsim.ScenarioValid && c.Person != nil && c.Person.CoverageRestriction == "04" {
		return "index.scenario.suspended"
	}
	return "index.scenario." + string(c.Scenario)
}

// pscCardPageURL is an authorization request of the demo portal: it opens
// the e-CPS page with the test cards, in lang.
func (sb *Sandbox) pscCardPageURL(lang string) string {
	return sb.PSCIssuer() + "/protocol/openid-connect/auth?" + url.Values{
		"client_id": {PSCClientID}, "redirect_uri": {sb.cfg.PortalURL + "/auth/psc/callback"},
		"response_type": {"code"}, "scope": {"openid scope_all"}, "acr_values": {"eidas1"},
		"state": {"sandbox-index"}, "ui_locales": {lang},
	}.Encode()
}

// hinAuthorizeURL is GetAuthCode for the demo token group, as the demo
// portal asks it: it opens HIN's sign-in page with the test identities.
func (sb *Sandbox) hinAuthorizeURL() string {
	return sb.HINAuthorizeURL() + "/" + TokenGroup + "?" + url.Values{
		"response_type": {"code"}, "client_id": {HINClientID},
		"redirect_uri": {sb.cfg.PortalURL + "/auth/hin/callback"}, "state": {"sandbox-index"},
	}.Encode()
}
