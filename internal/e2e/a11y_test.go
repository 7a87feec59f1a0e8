package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// colourScript declares the colour helpers of the audits: rgba (any CSS
// colour, resolved through a canvas so that every syntax — rgb, oklch,
// color-mix... — becomes RGBA), over (alpha compositing), background (the
// opaque colour behind an element, null over gradients and images, which
// are not judged) and contrast (WCAG's ratio of two colours).
const colourScript = `
	const ctx = document.createElement("canvas").getContext("2d", {willReadFrequently: true});
	const rgba = css => {
		ctx.clearRect(0, 0, 1, 1);
		ctx.fillStyle = "#000"; ctx.fillStyle = css;
		ctx.fillRect(0, 0, 1, 1);
		const d = ctx.getImageData(0, 0, 1, 1).data;
		return [d[0], d[1], d[2], d[3] / 255];
	};
	const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
	const background = el => {
		const layers = [];
		for (let e = el; e; e = e.parentElement) {
			const s = getComputedStyle(e);
			if (s.backgroundImage !== "none") return null;
			const c = rgba(s.backgroundColor);
			if (c[3] > 0) { layers.push(c); if (c[3] === 1) break; }
		}
		let bg = [255, 255, 255, 1];
		for (const c of layers.reverse()) bg = over(c, bg);
		return bg;
	};
	const luminance = c => {
		const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
		return 0.2126 * r + 0.7152 * g + 0.0722 * b;
	};
	const contrast = (a, b) => {
		const l1 = luminance(a), l2 = luminance(b);
		return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
	};
`

// auditScript lists what a screen-reader or keyboard user would miss on
// the page: unlabelled fields, messages not tied to their field, missing
// landmarks, images without alt, controls without a name, text whose
// contrast is below WCAG AA (4.5:1, or 3:1 for large text).
const auditScript = `((portal) => {
	const problems = [];
	const rendered = e => e.getClientRects().length > 0;
	const describe = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
		(e.getAttribute("name") ? "[name=" + e.getAttribute("name") + "]" : "") +
		(e.dataset.testid ? "[" + e.dataset.testid + "]" : "");

	if (!document.documentElement.lang) problems.push("html has no lang");
	if (!document.title.trim()) problems.push("page has no title");
	if (document.querySelectorAll("main").length !== 1) problems.push("page has " + document.querySelectorAll("main").length + " main landmarks");
	if (!document.querySelector("h1")) problems.push("page has no h1");
	if (portal) {
		if (!document.querySelector("header, [role=banner]")) problems.push("page has no header landmark");
		if (!document.querySelector("nav, [role=navigation]")) problems.push("page has no nav landmark");
		for (const n of document.querySelectorAll("nav")) {
			if (document.querySelectorAll("nav").length > 1 && !n.getAttribute("aria-label") && !n.getAttribute("aria-labelledby"))
				problems.push("one of several nav landmarks has no name");
		}
	}

	const fields = [...document.querySelectorAll("input:not([type=hidden]), select, textarea")];
	const describedBy = new Set();
	for (const f of fields) {
		const byFor = f.id ? document.querySelector('label[for="' + CSS.escape(f.id) + '"]') : null;
		const wrapping = f.closest("label");
		const named = (byFor && byFor.innerText.trim()) || (wrapping && wrapping.innerText.trim()) ||
			f.getAttribute("aria-label") || f.getAttribute("aria-labelledby");
		if (!named) problems.push("field " + describe(f) + " has no label");
		const refs = (f.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
		for (const r of refs) {
			describedBy.add(r);
			if (!document.getElementById(r)) problems.push("field " + describe(f) + " is described by a missing #" + r);
		}
		if (f.getAttribute("aria-invalid") === "true") {
			const shown = refs.map(r => document.getElementById(r)).filter(e => e && rendered(e) && e.innerText.trim());
			if (shown.length === 0) problems.push("invalid field " + describe(f) + " is not tied to a visible message");
		}
	}
	for (const e of document.querySelectorAll(".field-error, form [role=alert]")) {
		if (!e.id || !describedBy.has(e.id)) problems.push("error message " + describe(e) + " is tied to no field");
	}
	for (const img of document.querySelectorAll("img")) {
		if (!img.hasAttribute("alt")) problems.push("image " + img.getAttribute("src") + " has no alt");
	}
	for (const c of document.querySelectorAll("a[href], button")) {
		if (!rendered(c)) continue;
		const name = c.innerText.trim() || c.getAttribute("aria-label") || [...c.querySelectorAll("img[alt]")].map(i => i.alt).join("").trim();
		if (!name) problems.push("control " + describe(c) + " has no accessible name");
	}

	` + colourScript + `
	const seen = new Set();
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const el = n.parentElement;
		if (!n.textContent.trim() || !el || seen.has(el) || !rendered(el)) continue;
		seen.add(el);
		if (el.closest("[aria-disabled=true], [disabled], .visually-hidden, .skip")) continue;
		const s = getComputedStyle(el);
		if (s.visibility === "hidden" || parseFloat(s.opacity) === 0) continue;
		// Text wider than its box runs over its neighbours (a long German
		// word in a narrow column).
		if (s.display !== "inline" && s.overflowX === "visible" && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
			problems.push("text overflows its box by " + (el.scrollWidth - el.clientWidth) + "px: " + describe(el) + " \"" + n.textContent.trim().slice(0, 40) + "\"");
		const bg = background(el);
		if (!bg) continue;
		const ratio = contrast(over(rgba(s.color), bg), bg);
		const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight, 10) >= 700;
		const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
		if (ratio < needed) problems.push("contrast " + ratio.toFixed(2) + ":1 (needs " + needed + ") for " + describe(el) + " \"" + n.textContent.trim().slice(0, 40) + "\"");
	}
	return problems;
})`

// focusScript says whether the focused element shows its focus: an
// outline or a box shadow, as :focus-visible styles draw it, of which at
// least one colour has a contrast of 3:1 (WCAG 1.4.11, non-text) with the
// background the ring is drawn on — sampled just outside the element, so
// that an element laid over the header is judged against the header. With
// portal false (the sandbox's pages, other parties' sites) the ring need
// only be there.
const focusScript = `((portal) => {
	` + colourScript + `
	const e = document.activeElement;
	if (!e || e === document.body) return "nothing focused";
	const s = getComputedStyle(e);
	if (!e.matches(":focus-visible")) return "not :focus-visible";
	const r = e.getBoundingClientRect();
	if (r.width === 0 || r.height === 0 || r.bottom < 0 || r.top > innerHeight) return "focused but not on screen";

	// The ring's colours: the outline's, and each box shadow's that
	// spreads beyond the element (a shadow without spread is no ring).
	const ring = [];
	if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) ring.push({what: "outline", colour: s.outlineColor, width: parseFloat(s.outlineWidth)});
	if (s.boxShadow && s.boxShadow !== "none") {
		for (const shadow of s.boxShadow.split(/,(?![^(]*\))/)) {
			const colour = (shadow.match(/(rgba?|hsla?|oklch|oklab|lab|lch|color)\([^)]*\)|#[0-9a-f]{3,8}\b/i) || [])[0];
			const lengths = shadow.replace(colour || "", "").trim().split(/\s+/).filter(v => /^-?[\d.]+px$/.test(v)).map(parseFloat);
			const spread = lengths.length >= 4 ? lengths[3] : 0;
			if (colour && spread > 0 && !/inset/.test(shadow)) ring.push({what: "box-shadow", colour, width: spread});
		}
	}
	if (ring.length === 0) return "no outline nor box-shadow";
	if (!portal) return "";

	// What lies under the ring: the first element at a point just outside
	// this one that is not this one, nor inside it.
	const margin = 4;
	const points = [[r.left - margin, r.top + r.height / 2], [r.right + margin, r.top + r.height / 2],
		[r.left + r.width / 2, r.top - margin], [r.left + r.width / 2, r.bottom + margin]]
		.filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
	let under = null;
	for (const [x, y] of points) {
		under = document.elementsFromPoint(x, y).find(o => o !== e && !e.contains(o));
		if (under) break;
	}
	const bg = background(under || e.parentElement);
	if (!bg) return "";
	let best = 0, bestWhat = "";
	for (const part of ring) {
		const c = over(rgba(part.colour), bg);
		const ratio = contrast(c, bg);
		if (ratio > best) { best = ratio; bestWhat = part.what + " " + part.colour; }
	}
	if (best < 3) return "focus ring contrast " + best.toFixed(2) + ":1 (needs 3) on rgb(" + bg.slice(0, 3).join(", ") + "), best part " + bestWhat;
	return "";
})`

// audit fails the test for every accessibility problem of a portal page.
func (b *tab) audit(page string) {
	b.t.Helper()
	b.report(page, eval[[]string](b, auditScript+"(true)"))
}

// auditSandbox is audit for the simulators' pages, which stand for other
// parties' sites: the portal's header and navigation are not theirs.
func (b *tab) auditSandbox(page string) {
	b.t.Helper()
	b.report(page, eval[[]string](b, auditScript+"(false)"))
}

func (b *tab) report(page string, problems []string) {
	b.t.Helper()
	for _, p := range problems {
		b.t.Errorf("%s (%s): %s", page, b.path(), p)
	}
}

// auditFocus presses Tab through the page from its top, up to presses
// times or until the focus leaves the page, and fails the test for each
// control that shows no visible focus.
func (b *tab) auditFocus(page string, presses int) {
	b.t.Helper()
	b.tabThrough(page, presses, focusScript+"(true)")
}

// auditSandboxFocus is auditFocus for the simulators' pages, which stand
// for other parties' sites: their focus must show; its colours are theirs.
func (b *tab) auditSandboxFocus(page string, presses int) {
	b.t.Helper()
	b.tabThrough(page, presses, focusScript+"(false)")
}

func (b *tab) tabThrough(page string, presses int, script string) {
	b.t.Helper()
	// A click in the top corner (on no control) moves the point where
	// Tab starts to the top of the page, as it would for a person.
	b.step("start from the top", evalVoid(`window.scrollTo(0, 0)`), chromedp.MouseClickXY(2, 2))
	reached := 0
	for range presses {
		b.keys("Tab", kb.Tab)
		problem := eval[string](b, script)
		if problem == "nothing focused" {
			break
		}
		reached++
		if problem != "" {
			b.t.Errorf("%s: focus on %s: %s", page, b.focused(), problem)
		}
	}
	if reached < 3 {
		b.t.Errorf("%s: Tab reached only %d controls", page, reached)
	}
}

// fitsScreen fails the test if the page is wider than the screen: at
// phone width nothing may overflow sideways.
func (b *tab) fitsScreen(page string) {
	b.t.Helper()
	if w := eval[int](b, `document.documentElement.scrollWidth - innerWidth`); w > 0 {
		b.t.Errorf("%s: the page is %d px wider than the screen", page, w)
	}
}

// secondaryButtonsInCapitals fails the test for a secondary button whose
// text is not shown in capitals, as the main buttons' is.
func (b *tab) secondaryButtonsInCapitals(page string) {
	b.t.Helper()
	buttons := eval[[]string](b, `[...document.querySelectorAll(".btn.secondary")].map(e => e.innerText)`)
	if len(buttons) == 0 {
		b.t.Errorf("%s: no secondary button", page)
	}
	for _, text := range buttons {
		if text != strings.ToUpper(text) {
			b.t.Errorf("%s: secondary button %q is not in capitals", page, text)
		}
	}
}

func TestAccessibilityOfEveryPage(t *testing.T) {
	// Sign-ins expire at the portal before the provider forgets them, so
	// that a slow sign-in meets the portal's page about it.
	h := start(t, map[string]string{"INFOPATIENT_STATE_TIMEOUT": "5m"})
	b := h.newTab(frenchBrowser)

	b.open("/")
	b.audit("login page")
	b.auditFocus("login page", 10)

	b.fill("#login", virginieLogin)
	b.fill("#password", "wrong-password")
	b.click(testid("login-submit"))
	b.audit("login page with an error")

	b.open("/mot-de-passe-oublie")
	b.audit("forgotten password page")

	b.open("/no-such-page")
	b.audit("not-found page")

	b.signIn(virginieLogin, demoPassword)
	b.audit("identification page")
	b.auditFocus("identification page", 10)

	b.lookUp(camilleNIR + " 19")
	b.audit("identification page with an error")

	b.lookUp(camilleNIR)
	b.audit("patient page")
	b.auditFocus("patient page", 8)

	b.open("/historique")
	b.audit("history page")

	b.open("/mes-informations")
	b.audit("profile page")
	// The linked identity's tag keeps to one line.
	if n := eval[int](b, `document.querySelectorAll('[data-testid=profile-identities] .badge').length`); n == 0 {
		t.Error("profile page: no linked identity shown")
	}
	if broken := eval[[]string](b, `[...document.querySelectorAll('[data-testid=profile-identities] .badge')].filter(e => { const r = document.createRange(); r.selectNodeContents(e); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1; }).map(e => e.innerText)`); len(broken) > 0 {
		t.Errorf("profile page: linked identity tags on more than one line: %q", broken)
	}

	// Swiss cards: badges and alerts of every kind.
	b.open("/identification")
	b.lookUp(validCard.number)
	b.expect(testid("patient-name"), validCard.name)
	b.audit("Swiss patient page")
	// The note on where the data came from stands apart from the facts.
	if gap := eval[float64](b, `document.querySelector('[data-testid=card-via]').getBoundingClientRect().top -
		Math.max(...[...document.querySelectorAll('[data-testid=swiss-patient] dl')].map(d => d.getBoundingClientRect().bottom))`); gap < 16 {
		t.Errorf("Swiss patient page: the Covercard note is %.0f px below the last fact, want at least 16", gap)
	}
	b.click(testid("patient-new"))
	b.lookUp(suspendedCard)
	b.expect(testid("card-warning"), h.msg("fr", "swiss.warning.suspended"))
	b.audit("Swiss patient page with suspended benefits")
	b.click(testid("patient-new"))
	b.lookUp(blockedCard.number)
	b.expect(testid("identify-error"), h.msg("fr", "swiss.message.blocked", blockedCard.code))
	b.audit("identification page of a blocked card")

	b.open("/auth/hin/manual")
	b.audit("HIN code page")
	b.fill("#code", "not-a-code-from-hin")
	b.click(testid("hin-manual-submit"))
	b.expect(testid("hin-manual-error"), h.msg("fr", "hin_manual.refused"))
	b.audit("HIN code page with an error")

	// After an e-CPS sign-in: Mes informations with the claims table.
	ps := h.newTab(frenchBrowser)
	ps.signInWithPSC(virginiePSC)
	ps.expectAt("/identification")
	ps.open("/mes-informations")
	ps.expect(testid("claims"), virginiePSC.idNat)
	ps.audit("profile page after an e-CPS sign-in")
	// Structured claims are folded; opened, the JSON scrolls within its
	// cell and the table stays as wide as its card.
	if n := eval[int](ps, `document.querySelectorAll('[data-testid=claim-structured]:not([open])').length`); n < 3 {
		t.Errorf("profile page: %d folded structured claims, want SubjectRefPro, SubjectRole and otherIds at least", n)
	}
	ps.step("open every structured claim", evalVoid(`document.querySelectorAll('[data-testid=claim-structured]').forEach(d => d.open = true)`))
	if w := eval[int](ps, `document.querySelector('[data-testid=claims]').scrollWidth - document.querySelector('.table-scroll').clientWidth`); w > 0 {
		t.Errorf("profile page: the opened claims table is %d px wider than its card", w)
	}
	if out := eval[[]string](ps, `[...document.querySelectorAll('[data-testid=claim-structured] pre')].filter(p => p.getBoundingClientRect().right > p.closest('td').getBoundingClientRect().right + 1 || getComputedStyle(p).overflowX !== 'auto').map(p => p.closest('tr').innerText.slice(0, 40))`); len(out) > 0 {
		t.Errorf("profile page: opened structured claims not scrolling within their cell: %q", out)
	}
	ps.audit("profile page with the structured claims opened")
	ps.open("/mes-informations")
	ps.auditFocus("profile page after an e-CPS sign-in", 8)

	// A first e-CPS sign-in: the linking page, and its error.
	ln := h.newTab(frenchBrowser)
	ln.signInWithPSC(isabellePSC)
	ln.expectAt("/auth/link")
	ln.audit("linking page")
	ln.secondaryButtonsInCapitals("linking page")
	ln.auditFocus("linking page", 8)
	ln.fill("#login", isabelleLogin)
	ln.fill("#password", "wrong-password")
	ln.click(testid("link-submit"))
	ln.expect(testid("link-error"), h.msg("fr", "link.failed"))
	ln.audit("linking page with an error")

	// Sign-ins that fail: cancelled at the provider, provider down.
	se := h.newTab(frenchBrowser)
	se.open("/")
	se.click(testid("login-psc"))
	se.click(testid("psc-cancel"))
	se.expect(testid("error-title"), h.msg("fr", "auth.cancelled.title"))
	se.audit("sign-in cancelled page")
	se.secondaryButtonsInCapitals("sign-in cancelled page")
	se.auditFocus("sign-in cancelled page", 8)
	h.portal.App.Sandbox.PSC.Misbehave(sandbox.PSCClientID, pscsim.TokenServerError, false)
	se.signInWithPSC(virginiePSC)
	se.expect(testid("error-title"), h.msg("fr", "auth.unavailable.title"))
	se.audit("sign-in unavailable page")

	// The sandbox's pages, in a browser not signed in: e-CPS card page,
	// HIN sign-in and consent.
	sb := h.newTab(frenchBrowser)
	sb.open("/")
	sb.click(testid("login-psc"))
	sb.auditSandbox("sandbox e-CPS page")
	sb.auditSandboxFocus("sandbox e-CPS page", 12)
	sb.open("/")
	sb.click(testid("login-hin"))
	sb.auditSandbox("sandbox HIN sign-in page")
	sb.auditSandboxFocus("sandbox HIN sign-in page", 6)
	sb.click(testid("hin-identity-" + hinLinked))
	sb.auditSandbox("sandbox HIN consent page")

	// At phone width nothing may hide the fields or overflow sideways.
	for _, at := range []*tab{b, ps} {
		at.step("phone width", emulatePhone())
		for _, path := range []string{"/identification", "/historique", "/mes-informations"} {
			at.open(path)
			at.audit("phone " + path)
			at.fitsScreen("phone " + path)
		}
	}
	// Historique on the phone, in every language: each lookup fits the
	// screen, its result included.
	for _, lang := range []string{"fr", "de", "en"} {
		b.open("/historique?lang=" + lang)
		if n := b.count(testid("history-row")); n < 3 {
			t.Errorf("phone history in %s: %d rows", lang, n)
		}
		b.fitsScreen("phone history in " + lang)
		if cut := eval[[]string](b, `[...document.querySelectorAll('[data-testid=history-row] td')].filter(td => td.getBoundingClientRect().right > document.querySelector('[data-testid=history]').closest('.card').getBoundingClientRect().right).map(td => td.innerText)`); len(cut) > 0 {
			t.Errorf("phone history in %s: cells beyond the card: %q", lang, cut)
		}
		b.audit("phone history in " + lang)
	}

	// The phone header stays compact in every language, every function
	// on screen: name and RPPS on one line, the navigation on one line,
	// the logout button beside the languages.
	for _, lang := range []string{"fr", "de", "en"} {
		ps.open("/identification?lang=" + lang)
		if h := eval[float64](ps, `document.querySelector('[data-testid=header]').getBoundingClientRect().height`); h > 180 {
			t.Errorf("phone header in %s is %.0f px tall, want at most 180", lang, h)
		}
		if n := eval[int](ps, `new Set([...document.querySelectorAll('header nav:not(.langs) li')].map(e => Math.round(e.getBoundingClientRect().top))).size`); n != 1 {
			t.Errorf("phone header in %s: the navigation takes %d lines", lang, n)
		}
		if n := eval[int](ps, `new Set([...document.querySelectorAll('[data-testid=professional] > *')].map(e => Math.round(e.getBoundingClientRect().top))).size`); n != 1 {
			t.Errorf("phone header in %s: name and RPPS take %d lines", lang, n)
		}
		if !eval[bool](ps, `(() => { const l = document.querySelector('[data-testid=languages]').getBoundingClientRect(), o = document.querySelector('[data-testid=logout]').getBoundingClientRect();
			return o.width > 0 && o.top < l.bottom && o.bottom > l.top && o.right <= innerWidth; })()`) {
			t.Errorf("phone header in %s: the logout button is not beside the languages", lang)
		}
		ps.fitsScreen("phone header in " + lang)
	}

	// Mes informations after an e-CPS sign-in, on the phone: the claims
	// stacked, the structured ones folded, the page of a sensible length
	// (the acr received and the times shown as dates add a few lines).
	ps.open("/mes-informations")
	if h := eval[int](ps, `document.documentElement.scrollHeight`); h > 3300 {
		t.Errorf("phone /mes-informations after an e-CPS sign-in is %d px tall, want at most 3300", h)
	}
	if d := eval[string](ps, `getComputedStyle(document.querySelector('[data-testid=claim] td.claim-value')).display`); d != "block" {
		t.Errorf("phone /mes-informations: claim values are laid out as %q, not stacked below their names", d)
	}
	ps.open("/identification")
	ps.lookUp(validCard.number)
	ps.expect(testid("patient-name"), validCard.name)
	ps.audit("phone Swiss patient page")
	ps.fitsScreen("phone Swiss patient page")

	// The sandbox's pages a presenter opens on a phone: its index and the
	// PSC sessions page (ps's e-CPS session is listed there), in every
	// language, fit the screen.
	for _, lang := range []string{"fr", "de", "en"} {
		for name, target := range map[string]string{
			"sandbox index":         h.portal.App.Sandbox.URL() + "?lang=" + lang,
			"sandbox sessions page": h.portal.App.Sandbox.PSCSessionsURL() + "?ui_locales=" + lang,
		} {
			ps.open(target)
			ps.auditSandbox("phone " + name + " in " + lang)
			ps.fitsScreen("phone " + name + " in " + lang)
		}
	}

	// A sign-in that took too long: its state expired at the portal (last:
	// the clock moves on for every tab).
	se.open("/")
	se.click(testid("login-psc"))
	h.portal.Clock.Advance(6 * time.Minute)
	se.chooseAtPSC(virginiePSC)
	se.expect(testid("error-title"), h.msg("fr", "auth.state.title"))
	se.audit("sign-in expired page")
}

func TestAuditCatchesProblems(t *testing.T) {
	// The audit itself must fail on a page with the problems it looks for,
	// or a silent audit would prove nothing.
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.open("/")
	b.step("break the page", evalVoid(`
		document.querySelector('label[for="login"]').remove();
		document.querySelector("#password").setAttribute("aria-invalid", "true");
		document.querySelector("#password").removeAttribute("aria-describedby");
		document.querySelector("main").style.color = "#ccc";
		document.querySelector("header").remove();
	`))
	problems := strings.Join(eval[[]string](b, auditScript+"(true)"), "\n")
	for _, want := range []string{"field input#login[name=login] has no label", "invalid field input#password", "no header landmark", "contrast"} {
		if !strings.Contains(problems, want) {
			t.Errorf("audit of a broken page does not report %q; it reports:\n%s", want, problems)
		}
	}
	// A constructed style sheet: the portal's CSP forbids inline styles.
	b.step("hide the focus", evalVoid(`(() => {
		const s = new CSSStyleSheet();
		s.replaceSync("*:focus, *:focus-visible { outline: none !important; box-shadow: none !important; }");
		document.adoptedStyleSheets = [...document.adoptedStyleSheets, s];
	})()`))
	b.keys("Tab", kb.Tab)
	if got := eval[string](b, focusScript+"(true)"); got != "no outline nor box-shadow" {
		t.Errorf("focus check does not notice a hidden focus: %q", got)
	}
	// A light ring on the white page: visible to some, not enough.
	b.open("/")
	b.step("pale focus ring", evalVoid(`(() => {
		const s = new CSSStyleSheet();
		s.replaceSync("*:focus, *:focus-visible { outline: none !important; box-shadow: 0 0 0 3px #ffbf47 !important; }");
		document.adoptedStyleSheets = [...document.adoptedStyleSheets, s];
	})()`))
	b.fill("#login", "1")
	if got := eval[string](b, focusScript+"(true)"); !strings.HasPrefix(got, "focus ring contrast 1.") {
		t.Errorf("focus check accepts a yellow ring on white: %q", got)
	}
	if got := eval[string](b, focusScript+"(false)"); got != "" {
		t.Errorf("the sandbox's focus check judges colours: %q", got)
	}
}
