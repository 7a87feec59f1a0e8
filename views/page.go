// Package views renders InfoPatient's pages with templ. Cross-cutting values
// (the signed-in professional, the CSRF token, the language) travel in the
// request context so that page components take only their own data.
package views

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"

	"github.com/infopatient/infopatient/internal/i18n"
	"github.com/infopatient/infopatient/internal/nir"
	"github.com/infopatient/infopatient/static"
)

// Viewer is the signed-in professional as the header shows them.
type Viewer struct {
	DisplayName string // "VIRGINIE MEDECIN"
	Identifier  string // "RPPS 99700218896"
	Authority   string // "local", "psc" or "hin"
}

// Page is what every page's layout needs.
type Page struct {
	User    *Viewer
	CSRF    string
	Path    string // path and query of the current request
	Current string // navigation entry to mark: "identify", "profile", "history"
	Assets  *static.Assets
	Demo    bool
	// Refresh, when above 0, reloads the page after that many seconds
	// (<meta http-equiv=refresh>: a waiting page that works without
	// script); Scripts are static scripts (logical asset names) it loads.
	Refresh int
	Scripts []string
}

// WithRefresh returns ctx with the page refreshing after secs seconds and
// loading the given static scripts.
func WithRefresh(ctx context.Context, secs int, scripts ...string) context.Context {
	p, _ := ctx.Value(pageKey{}).(Page)
	p.Refresh, p.Scripts = secs, scripts
	return WithPage(ctx, p)
}

// CSRFField is the name of the form field that carries the CSRF token.
const CSRFField = "_csrf"

type pageKey struct{}

// WithPage attaches the layout data to ctx.
func WithPage(ctx context.Context, p Page) context.Context {
	return context.WithValue(ctx, pageKey{}, p)
}

// AtPath returns ctx with the page describing itself as uri (path and
// query): the language links of a page answered to a POST lead to the GET
// page that shows the same thing.
func AtPath(ctx context.Context, uri string) context.Context {
	p, _ := ctx.Value(pageKey{}).(Page)
	p.Path = uri
	return WithPage(ctx, p)
}

func pageOf(ctx context.Context) Page {
	p, _ := ctx.Value(pageKey{}).(Page)
	if p.Assets == nil {
		p.Assets = defaultAssets()
	}
	return p
}

// defaultAssets serve a page rendered without the App's (tests): loaded
// on first use, not at start-up, where the App loads its own.
var defaultAssets = sync.OnceValue(func() *static.Assets {
	a, err := static.Load()
	if err != nil {
		panic(err) // embedded files: a build defect
	}
	return a
})

func t(ctx context.Context, key string, args ...any) string { return i18n.T(ctx, key, args...) }

func lang(ctx context.Context) string { return i18n.From(ctx).Lang }

// translatedProfession is the catalogue's name of a profession in the
// page's language ("profession.<RPPS code>"), and whether there is one. A
// French page keeps the name as given (the account's own, feminine
// forms included).
func translatedProfession(ctx context.Context, code, french string) (string, bool) {
	l := i18n.From(ctx)
	if l.Lang == i18n.Default && french != "" {
		return french, true
	}
	if code != "" && l.Has("profession."+code) {
		return l.T("profession." + code), true
	}
	if french == "" || french == code {
		return code, true // a bare code is no French text
	}
	return french, false
}

// structuredClaim is how the claims table shows a structured value (a
// JSON object or array): indented, and summed up in a line — "objet :
// codeCivilite, exercices (2), …", "liste, 3 éléments". ok is false for a
// plain value, shown as it came.
func structuredClaim(ctx context.Context, value string) (summary, pretty string, ok bool) {
	v := strings.TrimSpace(value)
	if v == "" || (v[0] != '{' && v[0] != '[') {
		return "", "", false
	}
	// Indent also checks that v is JSON.
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(v), "", "  "); err != nil {
		return "", "", false
	}
	if v[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal([]byte(v), &items); err != nil {
			return "", "", false
		}
		return listSummary(ctx, len(items)), buf.String(), true
	}
	// The object's fields in their order, an array's with its length.
	dec := json.NewDecoder(strings.NewReader(v))
	if _, err := dec.Token(); err != nil {
		return "", "", false
	}
	var fields []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", "", false
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return "", "", false
		}
		name, _ := tok.(string)
		if len(fields) == maxSummaryFields {
			fields = append(fields, "…")
			break
		}
		var items []json.RawMessage
		if len(raw) > 0 && raw[0] == '[' && json.Unmarshal(raw, &items) == nil {
			name += " (" + strconv.Itoa(len(items)) + ")"
		}
		fields = append(fields, name)
	}
	return t(ctx, "profile.claims.object", strings.Join(fields, ", ")), buf.String(), true
}

// maxSummaryFields bounds how many of an object's fields its summary names.
const maxSummaryFields = 3

func listSummary(ctx context.Context, n int) string {
	if n == 1 {
		return t(ctx, "profile.claims.list.one")
	}
	return t(ctx, "profile.claims.list.many", n)
}

// formatIdentifier shows a looked-up number as the pages show it elsewhere
// (a NIR without its key, which the audit trail does not keep).
func formatIdentifier(kind, identifier string) string {
	switch kind {
	case "nir":
		return nir.Group(identifier)
	case "card":
		return FormatCard(identifier)
	case "adri":
		// "NIR date rank message-id": the beneficiary asked; the call's
		// message id stays in the audit trail.
		if f := strings.Fields(identifier); len(f) >= 3 {
			return nir.Group(f[0]) + " · " + f[1] + " · " + f[2]
		}
	}
	return identifier
}
