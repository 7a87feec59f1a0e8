package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// maxTabs bounds the Tab presses to reach one element: far more than any
// page of the portal needs, so that a focus trap fails instead of looping.
const maxTabs = 25

// focused describes the element that has the keyboard focus.
func (b *tab) focused() string {
	b.t.Helper()
	return eval[string](b, `(() => {
		const e = document.activeElement;
		if (!e || e === document.body) return "body";
		return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
			(e.dataset.testid ? "[" + e.dataset.testid + "]" : "") +
			(e.getAttribute("href") ? "(" + e.getAttribute("href") + ")" : "");
	})()`)
}

// tabTo presses Tab until the element matching sel has the focus, and
// returns the elements the focus went through.
func (b *tab) tabTo(sel string) []string {
	b.t.Helper()
	var path []string
	for range maxTabs {
		if eval[bool](b, `document.activeElement?.matches(`+js(sel)+`) ?? false`) {
			return path
		}
		b.keys("Tab", kb.Tab)
		path = append(path, b.focused())
	}
	b.fatalf("%d Tab presses did not reach %s; the focus went %s", maxTabs, sel, strings.Join(path, " → "))
	return nil
}

// pressEnter presses Enter and waits for the page it leads to.
func (b *tab) pressEnter(what string) {
	b.t.Helper()
	b.follow(what, chromedp.KeyEvent(kb.Enter))
}

func TestKeyboardOnlyJourney(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.open("/")

	// The first Tab reaches the skip link, which takes the focus to the
	// main content.
	b.keys("Tab", kb.Tab)
	if got := b.focused(); !strings.Contains(got, "(#main)") {
		t.Errorf("the first Tab focuses %s, want the skip link to #main", got)
	}
	b.keys("Enter on the skip link", kb.Enter)
	if got := b.focused(); got != "main#main" {
		t.Errorf("the skip link moved the focus to %s, want main#main", got)
	}

	// Sign in: number, password, Enter.
	b.tabTo("#login")
	b.keys("type the number", virginieLogin)
	b.tabTo("#password")
	b.keys("type the password", demoPassword)
	b.pressEnter("Enter in the sign-in form")
	b.expectAt("/identification")
	b.expect(testid("professional"), virginieHeader)

	// Identify the patient: the field, the number, Enter.
	b.tabTo("#identifier")
	b.keys("type the NIR", camilleNIR)
	b.tabTo("#date_naissance")
	b.keys("type the date of birth", camilleBirthDate)
	b.pressEnter("Enter in the identification form")
	b.expectAtLookup()
	b.expectExactly(testid("patient-name"), camilleName)

	// And back to identify another patient, still without a mouse.
	b.tabTo(testid("patient-new"))
	b.pressEnter("Enter on " + h.msg("fr", "patient.another"))
	b.expectAt("/identification")
}
