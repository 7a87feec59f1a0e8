package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/covercard"
	"github.com/infopatient/infopatient/internal/i18n"
	"github.com/infopatient/infopatient/internal/vigilance"
)

// keyPrefixes are the keys the code builds from a prefix and a value
// ("swiss.outcome." + v.Outcome): every value the code may append, taken
// from the types that produce them where there are such types. A prefix
// the code uses and this table lacks fails the test, so a new one is
// handled here explicitly.
var keyPrefixes = map[string][]string{
	"identify.recognised.":   {"nir", "card", "ahv"},
	"history.kind.":          {"nir", "card", "adri", "insi_traits", "insi_demo", "identity_qualify", "identity_mark", "psc-share", "psc-read"},
	"patient.sex.":           {"1", "2"}, // the NIR's first digit, as the patients table keeps it
	"swiss.outcome.":         names(covercard.Valid, covercard.Invalid),
	"swiss.message.":         names(covercard.Valid, covercard.Invalid),
	"swiss.sex.":             names(covercard.SexFemale, covercard.SexMale, covercard.Sex(-1)),
	"swiss.kvg_model.":       names(covercard.ModelStandard, covercard.ModelFamilyDoctor, covercard.ModelHMO, covercard.ModelList, covercard.ModelOther, covercard.KVGModel(-1)),
	"swiss.accident.":        names(covercard.AccidentCovered, covercard.AccidentNotCovered, covercard.AccidentCoverage(-1)),
	"swiss.restriction.":     names(covercard.RestrictionNone, covercard.RestrictionTiersGarant1, covercard.RestrictionSuspended, covercard.Restriction(-1)),
	"swiss.via.":             {"hin", "service"},
	"swiss.code.":            {"absent", "valid", "blocked", "not_valid", "unreadable"}, // covercard.CardCodeMeaning
	"swiss.invoicing.":       names(covercard.InvoicingNotStated, covercard.InvoicingDebtor),
	"link.recognised.":       {"psc", "hin"},
	"link.done.":             {"psc", "hin"},
	"profile.method.":        {"local", "psc", "hin"},
	"profile.provider.":      {"psc", "hin"},
	"auth.unavailable.body.": {"psc", "hin"},
	// Every outcome the audit trail records: the portal's own (web's
	// outcome* constants) and Covercard's.
	// "suspended" is what the page told of a valid card whose benefits
	// are suspended (the lookups' shown column).
	"outcome.": append([]string{"found", "not_found", "service_error", "malformed", "reauth", "forbidden", "suspended",
		// INSi calls and identity-vigilance changes (web/insi_history.go).
		"insi_00", "insi_01", "insi_02", "insi_blocked", "insi_unavailable", "insi_timeout", "insi_unknown_software",
		"insi_access_level", "insi_refused", "insi_malformed", "insi_bad_key",
		"identity_qualified", "identity_refused", "identity_marked",
		// Context sharing (web/psc_share.go).
		"shared", "read", "no_context", "psc_reauth", "refused"}, names(covercard.Valid, covercard.Invalid)...),
	// Profession labels, by RPPS profession code; a code without a key
	// shows the nomenclature's French label instead.
	"profession.": {"10", "21", "60"}, // the demo accounts' and sandbox identities' professions
	// The search by INS traits and the identity page (views/insi.templ).
	"insi.field.":   {"birth_name", "first_names", "sex", "birth_date", "birth_place"},
	"insi.sex.":     {"F", "M"},
	"insi.status.":  statuses(vigilance.Statuses),
	"insi.warning.": {string(vigilance.Provisoire), string(vigilance.Recuperee), string(vigilance.Validee)},
	"insi.type.":    {string(vigilance.TypeNIR), string(vigilance.TypeNIA), string(vigilance.TypeTestNIR), string(vigilance.TypeDemoNIR)},
	"insi.doc.":     documents(vigilance.HighTrust),
}

func statuses(s []vigilance.Status) []string {
	var out []string
	for _, v := range s {
		out = append(out, string(v))
	}
	return out
}

func documents(d []vigilance.Document) []string {
	var out []string
	for _, v := range d {
		out = append(out, string(v))
	}
	return out
}

// names are the String() values of an enumeration: of the listed values,
// or, given two values, of every one from the first to the last.
func names[T interface {
	~int
	String() string
}](values ...T) []string {
	if len(values) == 2 && values[0] < values[1] && values[1]-values[0] > 1 {
		var all []T
		for v := values[0]; v <= values[1]; v++ {
			all = append(all, v)
		}
		values = all
	}
	var out []string
	for _, v := range values {
		out = append(out, v.String())
	}
	return out
}

// A key is dotted lower-case words; a prefix ends with its dot.
var keyShape = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+\.?$`)

// templKey is t(ctx, "key") or t(ctx, "prefix." + value) in a template.
var templKey = regexp.MustCompile(`\bt\(ctx,\s*"([^"]*)"(\s*\+)?`)

// usedKeys collects the message keys of the portal's templates and Go
// code, with where each is used; prefixes end with a dot.
func usedKeys(t *testing.T, namespaces map[string]bool) map[string][]string {
	t.Helper()
	root := filepath.Join("..", "..")
	used := map[string][]string{}
	add := func(key, where string) { used[key] = append(used[key], where) }

	templates, err := filepath.Glob(filepath.Join(root, "views", "*.templ"))
	if err != nil || len(templates) == 0 {
		t.Fatalf("no templates found (%v)", err)
	}
	for _, path := range templates {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range templKey.FindAllStringSubmatch(line, -1) {
				key := m[1]
				if m[2] != "" && !strings.HasSuffix(key, ".") {
					t.Errorf("%s:%d: key %q built by appending to something that is not a prefix", path, i+1, key)
				}
				add(key, filepath.Base(path)+":"+strconv.Itoa(i+1))
			}
		}
	}

	// Go code: every string literal shaped like a key of one of the
	// catalogue's namespaces — message keys travel in fields, arguments
	// and return values before they reach t().
	var sources []string
	for _, dir := range []string{"views", "web"} {
		files, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") && !strings.HasSuffix(f, "_templ.go") {
				sources = append(sources, f)
			}
		}
	}
	fset := token.NewFileSet()
	for _, path := range sources {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !keyShape.MatchString(s) || !namespaces[s[:strings.IndexByte(s, '.')]] {
				return true
			}
			pos := fset.Position(lit.Pos())
			add(s, filepath.Base(path)+":"+strconv.Itoa(pos.Line))
			return true
		})
	}
	return used
}

func TestEveryKeyTheCodeUsesIsInEveryCatalogue(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	fr := c.For("fr")
	namespaces := map[string]bool{}
	for _, k := range fr.Keys() {
		namespaces[k[:strings.IndexByte(k, '.')]] = true
	}
	namespaces["profession"] = true

	used := usedKeys(t, namespaces)
	if len(used) < 100 {
		t.Fatalf("found only %d keys in the code: the scan is broken", len(used))
	}
	wanted := map[string][]string{} // key → where it is used
	for key, where := range used {
		if !strings.HasSuffix(key, ".") {
			wanted[key] = append(wanted[key], where...)
			continue
		}
		values, ok := keyPrefixes[key]
		if !ok {
			t.Errorf("%s: key built from the prefix %q, which the test does not know: add its values to keyPrefixes", where[0], key)
			continue
		}
		for _, v := range values {
			wanted[key+v] = append(wanted[key+v], where...)
		}
	}
	keys := make([]string, 0, len(wanted))
	for k := range wanted {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, lang := range i18n.Languages {
		l := c.For(lang)
		for _, key := range keys {
			if !l.Has(key) {
				t.Errorf("locales/%s lacks %q, used at %s", lang, key, strings.Join(wanted[key], ", "))
			}
		}
	}
	t.Logf("%d keys checked in %d languages", len(keys), len(i18n.Languages))
}

func TestTheKeyScanFindsKeysOfEveryKind(t *testing.T) {
	used := usedKeys(t, map[string]bool{"login": true, "identify": true, "swiss": true, "auth": true, "error": true})
	for _, want := range []string{
		"login.title",            // t(ctx, "…") in a template
		"identify.error.empty",   // a Go argument
		"identify.error.nir_key", // a Go return value
		"error.csrf.title",       // a Go struct field
		"swiss.outcome.",         // a template prefix
		"auth.unavailable.body.", // a Go prefix
	} {
		if len(used[want]) == 0 {
			t.Errorf("the scan misses %q", want)
		}
	}
}

// sameInEveryLanguage are the messages German or English write as French
// does: names, and a word the languages share.
var sameInEveryLanguage = map[string]bool{
	"patient.address":       true, // "Adresse" in German too
	"profile.profession":    true, // "Profession" in English too
	"profile.claims.source": true, // "Source" in English too
	"profile.method.hin":    true,
	"profile.provider.psc":  true,
	"profile.provider.hin":  true,
}

// A French message pasted into another catalogue passes the key checks;
// this one catches it.
func TestGermanAndEnglishAreNotFrench(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	fr := c.For("fr")
	for _, lang := range []string{"de", "en"} {
		l := c.For(lang)
		for _, key := range fr.Keys() {
			if !sameInEveryLanguage[key] && l.Has(key) && l.T(key) == fr.T(key) {
				t.Errorf("locales/%s says %q for %s, as French does", lang, l.T(key), key)
			}
		}
	}
}
