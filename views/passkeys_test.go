package views

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/infopatient/infopatient/internal/i18n"
)

func TestSecurityPage(t *testing.T) {
	used := time.Date(2026, 12, 6, 8, 30, 0, 0, time.UTC)
	v := SecurityView{Local: true, Location: time.UTC, Origin: "https://portail.example.fr", Passkeys: []PasskeyRow{
		{ID: 7, Name: "Téléphone", Created: used.Add(-time.Hour)},
		{ID: 9, Name: "<b>Clé</b>", Created: used.Add(-time.Hour), LastUsed: used},
	}}
	doc := render(t, SecurityPage(v), "fr", &Viewer{DisplayName: "VIRGINIE MEDECIN", Authority: "local"})
	names := doc.Find(`[data-testid="passkey-name"]`)
	if names.Length() != 2 || names.Eq(1).Text() != "<b>Clé</b>" {
		t.Errorf("names: %q", names.Text())
	}
	last := doc.Find(`[data-testid="passkey-last-used"]`)
	if last.Eq(0).Text() != "jamais" || !strings.Contains(last.Eq(1).Text(), "06/12/2026") {
		t.Errorf("last used: %q / %q", last.Eq(0).Text(), last.Eq(1).Text())
	}
	actions := doc.Find(`[data-testid="passkey-row"] form`)
	if actions.Length() != 2 || actions.Eq(0).AttrOr("action", "") != "/compte/securite/cles/7/supprimer" ||
		actions.Eq(0).Find(`input[name="_csrf"]`).AttrOr("value", "") != "tok" {
		t.Errorf("removal forms: %d %q", actions.Length(), actions.Eq(0).AttrOr("action", ""))
	}
	if doc.Find(`[data-testid="passkey-remove"]`).Eq(1).AttrOr("aria-label", "") != "Supprimer la clé d'accès « <b>Clé</b> »" {
		t.Error("the removal button does not name its passkey")
	}
	reg := doc.Find(`form[data-passkey="register"]`)
	if reg.AttrOr("data-options", "") != "/compte/securite/cles/options" || reg.Find(`input[name="credential"]`).Length() != 1 {
		t.Error("registration form")
	}
	if doc.Find(`[data-testid="passkey-status"]`).AttrOr("data-origin", "") != "https://portail.example.fr" {
		t.Error("the status line does not know where passkeys work")
	}
	// The script: one, from the static files, never inline.
	scripts := doc.Find("script")
	if scripts.Length() != 1 || !strings.HasPrefix(scripts.AttrOr("src", ""), "/static/js/passkey.") || strings.TrimSpace(scripts.Text()) != "" {
		t.Errorf("scripts: %d %q", scripts.Length(), scripts.AttrOr("src", ""))
	}
	if doc.Find(`[data-testid="passkey-required"]`).Length() != 0 {
		t.Error("a required notice without MustRegister")
	}

	// The last passkey of an account that requires one: no removal.
	v.Passkeys, v.KeepLast, v.MustRegister = v.Passkeys[:1], true, true
	doc = render(t, SecurityPage(v), "de", &Viewer{DisplayName: "VIRGINIE MEDECIN", Authority: "local"})
	if doc.Find(`[data-testid="passkey-remove"]`).Length() != 0 || !strings.Contains(text(doc, "passkey-keep-last"), "nicht gelöscht") {
		t.Error("the last passkey can be removed")
	}
	if !strings.Contains(text(doc, "passkey-required"), "Passkey verwenden") {
		t.Errorf("required notice %q", text(doc, "passkey-required"))
	}

	// Signed in through an authority: no passkeys to manage.
	doc = render(t, SecurityPage(SecurityView{}), "en", &Viewer{DisplayName: "X", Authority: "psc"})
	if doc.Find(`form[data-passkey]`).Length() != 0 || !strings.Contains(text(doc, "passkey-local-only"), "authority") {
		t.Error("passkeys offered to an authority's session")
	}
}

func TestPasskeyFormsOnTheLoginAndLinkingPages(t *testing.T) {
	doc := render(t, LoginPage(LoginForm{ReturnTo: "/historique", PasskeyOrigin: "http://localhost:8080"}), "fr", nil)
	f := doc.Find(`form[data-passkey="signin"]`)
	if f.Length() != 1 || f.AttrOr("action", "") != "/auth/passkey" || f.Find(`input[name="return"]`).AttrOr("value", "") != "/historique" {
		t.Fatal("login page: no passkey form")
	}
	if _, ok := f.Attr("data-conditional"); !ok || doc.Find("#login").AttrOr("autocomplete", "") != "username webauthn" {
		t.Error("login page: no conditional UI")
	}
	if text(doc, "login-passkey") != "SE CONNECTER avec une clé d'accès" {
		t.Errorf("button %q", text(doc, "login-passkey"))
	}
	if msg := doc.Find(`[data-testid="passkey-status"]`).AttrOr("data-msg-address", ""); !strings.Contains(msg, "http://localhost:8080") {
		t.Errorf("address message %q", msg)
	}
	// Without passkeys, nothing of them.
	doc = render(t, LoginPage(LoginForm{}), "fr", nil)
	if doc.Find(`form[data-passkey]`).Length() != 0 || doc.Find("script").Length() != 0 || doc.Find("#login").AttrOr("autocomplete", "") != "username" {
		t.Error("passkeys offered while disabled")
	}

	doc = render(t, LinkPage(LinkForm{Authority: "psc", Who: "X", PasskeyOrigin: "http://localhost:8080"}), "en", nil)
	if doc.Find(`form[data-passkey="link"]`).AttrOr("action", "") != "/auth/link/passkey" || text(doc, "link-passkey") != "LINK WITH MY PASSKEY" {
		t.Error("linking page: no passkey form")
	}
	doc = render(t, PasskeyStepPage(PasskeyStepView{Error: "passkey.error.counter", Origin: "http://localhost:8080"}), "fr", nil)
	if doc.Find(`form[data-passkey="verify"]`).AttrOr("data-options", "") != "/auth/passkey/second/options" || !strings.Contains(text(doc, "passkey-error"), "copiée") {
		t.Error("second step page")
	}
}

func TestHistoryShowsTheSecurityTrail(t *testing.T) {
	ctx := WithSecurityEvents(context.Background(), []SecurityEventRow{{At: time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC), Event: "passkey.event.used", Detail: "Téléphone"}})
	doc := renderCtx(t, ctx, HistoryPage(HistoryView{}, time.UTC), "fr")
	if text(doc, "security-event-kind") != "Connexion avec une clé d'accès" || !strings.Contains(text(doc, "security-events"), "Téléphone") {
		t.Errorf("security trail: %q", text(doc, "security-events"))
	}
	if doc = render(t, HistoryPage(HistoryView{}, time.UTC), "fr", nil); doc.Find(`[data-testid="security-events"]`).Length() != 0 {
		t.Error("an empty trail is shown")
	}
}

// renderCtx is render, anonymous, with what ctx already holds.
func renderCtx(t *testing.T, ctx context.Context, c templ.Component, lang string) *goquery.Document {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx = i18n.WithLocalizer(WithPage(ctx, Page{CSRF: "tok", Path: "/historique"}), cat.For(lang))
	var buf bytes.Buffer
	if err := c.Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
