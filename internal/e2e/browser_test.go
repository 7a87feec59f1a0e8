package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/i18n"
)

const (
	// testTimeout bounds a whole journey, browser start included: the
	// longest (every sandbox page in three languages on two screens) takes
	// half a minute alone and several on a machine busy with other packages.
	testTimeout = 4 * time.Minute
	// stepTimeout bounds one action, so that a missing element fails the
	// test quickly with the page it was looked for on.
	stepTimeout = 15 * time.Second

	// Accept-Language of the browsers the journeys use, unless a test
	// asks for another: a French professional's browser.
	frenchBrowser = "fr-FR,fr"

	chromiumBinary = "/usr/bin/chromium"
	requiredEnv    = "INFOPATIENT_BROWSER_TESTS"
)

// chromium returns the browser to drive, or skips the test where none is
// installed — unless INFOPATIENT_BROWSER_TESTS=required, where a missing
// browser is a failure (CI installs Debian's chromium package).
func chromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumBinary); err == nil {
		return chromiumBinary
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	msg := "browser tests need Debian's Chromium at " + chromiumBinary + " (apt-get install chromium); none found"
	if os.Getenv(requiredEnv) == "required" {
		t.Fatal(msg + ", and " + requiredEnv + "=required")
	}
	t.Skip(msg + ": skipped (set " + requiredEnv + "=required to make this a failure)")
	return ""
}

// harness is one running portal and one headless Chromium for a test.
// Every tab it opens lives in a browser context of its own, so each tab is
// a fresh browser: no cookie, no history.
type harness struct {
	t         *testing.T
	portal    *apptest.Portal
	browser   context.Context // the browser's first tab; tabs are its children
	userAgent string
	catalog   *i18n.Catalog
}

// start runs the portal in demo mode (env adds INFOPATIENT_* variables)
// and a headless Chromium, both stopped when the test ends.
func start(t *testing.T, env map[string]string) *harness {
	t.Helper()
	bin := chromium(t)
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	profile := t.TempDir() // created first, removed last: after the browser exits
	portal := apptest.Start(t, env)

	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin),
		// Exactly these switches: they work in a sandboxed container and
		// keep the browser from calling anywhere but the portal.
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
	)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancel()
	})
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	version, err := chromedp.CallBrowser(browserCtx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		t.Fatalf("browser version: %v", err)
	}
	return &harness{t: t, portal: portal, browser: browserCtx, userAgent: version.UserAgent, catalog: catalog}
}

// msg is a message of the portal's catalogue, as a page in lang shows it.
func (h *harness) msg(lang, key string, args ...any) string {
	return h.catalog.For(lang).T(key, args...)
}

// tab is one browser tab, in a browser context of its own.
type tab struct {
	t    *testing.T
	h    *harness
	ctx  context.Context
	base string
}

// newTab opens a fresh browser (own cookies) whose Accept-Language is
// acceptLanguage, with a desktop window.
func (h *harness) newTab(acceptLanguage string) *tab {
	h.t.Helper()
	ctx, cancel := chromedp.NewContext(h.browser, chromedp.WithNewBrowserContext())
	h.t.Cleanup(cancel)
	b := &tab{t: h.t, h: h, ctx: ctx, base: h.portal.URL}
	if err := chromedp.Do(ctx); err != nil { // opens the tab, bound by the test's timeout only
		h.t.Fatalf("opening a tab: %v", err)
	}
	b.step("set the browser language", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
			UserAgent: h.userAgent, AcceptLanguage: acceptLanguage,
		})
		return err
	}), emulateDesktop())
	return b
}

// stepContext bounds one step.
func (b *tab) stepContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// step runs actions that do not navigate.
func (b *tab) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// follow runs actions that lead to another page (a click, Enter in a
// form) and waits until that page — after any redirects — has loaded.
func (b *tab) follow(what string, actions ...chromedp.Action[chromedp.Void]) *network.Response {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	return resp
}

// open loads a path of the portal (or an absolute URL).
func (b *tab) open(target string) *network.Response {
	b.t.Helper()
	if strings.HasPrefix(target, "/") {
		target = b.base + target
	}
	ctx, cancel := b.stepContext()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(target))
	if err != nil {
		b.fatalf("opening %s: %v", target, err)
	}
	return resp
}

// click clicks the first visible element matching the CSS selector and
// waits for the page it leads to.
func (b *tab) click(sel string) *network.Response {
	b.t.Helper()
	return b.follow("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// fill types value into the field matching the CSS selector, replacing
// what it held, key by key as a person would.
func (b *tab) fill(sel, value string) {
	b.t.Helper()
	b.step("type into "+sel,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		evalVoid(`document.querySelector(`+js(sel)+`).value = ""`),
		chromedp.SendKeys(chromedp.CSS(sel), value, chromedp.NodeVisible),
	)
}

// keys types on the keyboard into whatever has the focus.
func (b *tab) keys(what, keys string) {
	b.t.Helper()
	b.step(what, chromedp.KeyEvent(keys))
}

// testid is the CSS selector of a data-testid.
func testid(id string) string { return `[data-testid="` + id + `"]` }

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fatalf("evaluating %.80s: %v", expr, err)
	}
	return v
}

// text is the text a person sees in the first element matching sel, with
// white space collapsed; "" when there is no such element or it is not
// rendered.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return eval[string](b, `(() => {
		const e = document.querySelector(`+js(sel)+`);
		if (!e || e.getClientRects().length === 0) return "";
		return e.innerText.replace(/\s+/g, " ").trim();
	})()`)
}

// texts are the texts of every rendered element matching sel.
func (b *tab) texts(sel string) []string {
	b.t.Helper()
	return eval[[]string](b, `[...document.querySelectorAll(`+js(sel)+`)]
		.filter(e => e.getClientRects().length > 0)
		.map(e => e.innerText.replace(/\s+/g, " ").trim())`)
}

// count is how many elements match sel.
func (b *tab) count(sel string) int {
	b.t.Helper()
	return eval[int](b, `document.querySelectorAll(`+js(sel)+`).length`)
}

// attr is an attribute of the first element matching sel ("" when absent).
func (b *tab) attr(sel, name string) string {
	b.t.Helper()
	return eval[string](b, `(document.querySelector(`+js(sel)+`)?.getAttribute(`+js(name)+`)) ?? ""`)
}

// value is what the field matching sel holds.
func (b *tab) value(sel string) string {
	b.t.Helper()
	return eval[string](b, `document.querySelector(`+js(sel)+`)?.value ?? ""`)
}

// path is where the tab is: path and query, relative to the portal.
func (b *tab) path() string {
	b.t.Helper()
	return eval[string](b, `location.pathname + location.search`)
}

// lang is the language the page says it is in.
func (b *tab) lang() string {
	b.t.Helper()
	return b.attr("html", "lang")
}

// expect fails the test when the element matching sel is missing or does
// not show want (a substring). Case is ignored: the style sheet writes
// titles and buttons in capitals, as the mockup does.
func (b *tab) expect(sel, want string) {
	b.t.Helper()
	if want == "" {
		b.t.Fatalf("expect(%s): an empty text would match anything", sel)
	}
	if got := b.text(sel); !strings.Contains(shown(got), shown(want)) {
		b.errorf("%s shows %q, want it to contain %q", sel, got, want)
	}
}

// expectExactly fails the test unless the element matching sel shows
// exactly want (case ignored, as for expect).
func (b *tab) expectExactly(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); shown(got) != shown(want) {
		b.errorf("%s shows %q, want %q", sel, got, want)
	}
}

// mainNav is the header's navigation (not the language switch).
const mainNav = "header nav:not(.langs)"

// shown folds text the way CSS capitals do, for comparing.
func shown(s string) string {
	return strings.ReplaceAll(strings.ToUpper(s), "ß", "SS")
}

// expectAt fails the test unless the tab is at path (the query ignored).
func (b *tab) expectAt(path string) {
	b.t.Helper()
	got := b.path()
	if i := strings.IndexByte(got, '?'); i >= 0 {
		got = got[:i]
	}
	if got != path {
		b.fatalf("landed on %s, want %s", b.path(), path)
	}
}

// expectAtLookup fails the test unless the tab is at a lookup's page,
// /patient/{id} (the query ignored), and returns that path.
func (b *tab) expectAtLookup() string {
	b.t.Helper()
	got, _, _ := strings.Cut(b.path(), "?")
	if !lookupPath.MatchString(got) {
		b.fatalf("landed on %s, want a lookup's page /patient/{id}", b.path())
	}
	return got
}

var lookupPath = regexp.MustCompile(`^/patient/[0-9]+$`)

// errorf reports a failure with where the browser is and what it shows.
func (b *tab) errorf(format string, args ...any) {
	b.t.Helper()
	b.t.Errorf(format+"\n"+b.where(), args...)
}

func (b *tab) fatalf(format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf(format+"\n"+b.where(), args...)
}

// where describes the page for a failure message. It must not fail itself.
func (b *tab) where() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" +
		(document.querySelector("main") || document.body || document.documentElement).innerText.slice(0, 800)`))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || b.ctx.Err() != nil {
			return "(page unavailable: test time is up)"
		}
		return "(page unavailable: " + err.Error() + ")"
	}
	return "page: " + v
}

// evalVoid runs JavaScript in the page for its effect.
func evalVoid(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](expr)
}

// Window sizes of the journeys and screenshots.
const (
	desktopWidth, desktopHeight = 1280, 800
	phoneWidth, phoneHeight     = 390, 844
)

// emulateDesktop is a laptop's browser window.
func emulateDesktop() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(desktopWidth, desktopHeight)
}

// emulatePhone is a phone held upright, with a touch screen.
func emulatePhone() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulateTouch,
		chromedp.EmulatePortrait, chromedp.EmulateScale(2))
}
