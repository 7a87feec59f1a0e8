package covercardsim

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
	"github.com/infopatient/infopatient/internal/testclock"
)

// Test cards of data/sandbox/covercard-cards.json.
const (
	cardZoe       = "80756000000000000001"
	cardBrunner   = "80756000000000000002"
	cardBlocked   = "80756000000000000003"
	cardVVGOnly   = "80756000000000000004"
	cardExpired   = "80756000000000000005"
	cardUnknown   = "80756000000000000006"
	cardMalformed = "80756000000000000007"
	cardSuspended = "80756000000000000008"
)

// fakeTokens is a token checker with fixed answers.
type fakeTokens map[string]hinsim.TokenInfo

func (f fakeTokens) Introspect(tok string) (hinsim.TokenInfo, error) {
	info, ok := f[tok]
	if !ok {
		return hinsim.TokenInfo{}, hinsim.ErrUnknownToken
	}
	return info, nil
}

var testTokens = fakeTokens{
	"good#+token": {HINID: "cmuster", TokenGroup: "hin_covercard"},
	"device+#tok": {HINID: "ch.infopatient-cc", TokenGroup: "hin_covercard", ClientCredentials: true},
	"other-group": {HINID: "cmuster", TokenGroup: "ACS-Applikation"},
}

func shippedCards(t testing.TB) []Card {
	t.Helper()
	cards, err := LoadCards(os.DirFS("../../../data/sandbox"), "covercard-cards.json")
	if err != nil {
		t.Fatal(err)
	}
	return cards
}

var testNow = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

type harness struct {
	t   *testing.T
	sim *Server
	srv *httptest.Server
}

func newHarness(t *testing.T, mutate ...func(*Config)) *harness {
	t.Helper()
	cfg := Config{Cards: shippedCards(t), Tokens: testTokens, Now: func() time.Time { return testNow }}
	for _, m := range mutate {
		m(&cfg)
	}
	sim, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/sandbox/", sim)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &harness{t: t, sim: sim, srv: srv}
}

func (h *harness) servletURL() string { return h.srv.URL + "/sandbox" + ServletPath }

func query(card, langue string) url.Values {
	return url.Values{"type": {"XML"}, "langue": {langue}, "carte": {card}, "ReturnType": {"42a"}}
}

type answer struct {
	Status int
	Header http.Header
	Body   []byte
	Err    error
}

// lookup asks the simulator about card, as Covercard clients do (GET).
func (h *harness) lookup(card, langue, token string) answer {
	h.t.Helper()
	return h.send(http.MethodGet, query(card, langue), token)
}

func (h *harness) send(method string, q url.Values, token string) answer {
	h.t.Helper()
	var req *http.Request
	var err error
	if method == http.MethodPost {
		req, err = http.NewRequest(method, h.servletURL(), strings.NewReader(q.Encode()))
		if req != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		req, err = http.NewRequest(method, h.servletURL()+"?"+q.Encode(), nil)
	}
	if err != nil {
		h.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{Status: -1, Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: body, Err: err}
}

// document is a decoded answer: element paths below the root (with '@'
// for attributes) to their text.
type document struct {
	Root      xml.Name
	Values    map[string][]string
	Directive string
}

func (d document) get(path string) string {
	if v := d.Values[path]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (d document) has(path string) bool { _, ok := d.Values[path]; return ok }

// decode reads a windows-1252 answer the way a careful client does:
// charset reader, DTD noted and never fetched, every element in the XEDO
// namespace.
func decode(body []byte) (document, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if !strings.EqualFold(label, "windows-1252") {
			return nil, fmt.Errorf("unexpected charset %q", label)
		}
		return charmap.Windows1252.NewDecoder().Reader(r), nil
	}
	doc := document{Values: map[string][]string{}}
	var stack []string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if doc.Root.Local == "" {
				return doc, errors.New("no root element")
			}
			return doc, nil
		}
		if err != nil {
			return doc, err
		}
		switch t := tok.(type) {
		case xml.Directive:
			doc.Directive = string(t)
		case xml.StartElement:
			if t.Name.Space != Namespace {
				return doc, fmt.Errorf("element %s in namespace %q", t.Name.Local, t.Name.Space)
			}
			if doc.Root.Local == "" {
				doc.Root = t.Name
				stack = append(stack, "")
				continue
			}
			stack = append(stack, t.Name.Local)
			path := strings.Join(stack[1:], "/")
			for _, a := range t.Attr {
				if a.Name.Space == "" {
					doc.Values[path+"/@"+a.Name.Local] = append(doc.Values[path+"/@"+a.Name.Local], a.Value)
				}
			}
			text.Reset()
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if len(stack) > 1 {
				path := strings.Join(stack[1:], "/")
				doc.Values[path] = append(doc.Values[path], strings.TrimSpace(text.String()))
			}
			text.Reset()
			stack = stack[:len(stack)-1]
		}
	}
}

// hinHarness is a HIN simulator issuing real tokens for Covercard.
type hinHarness struct {
	hin   *hinsim.Server
	srv   *httptest.Server
	clock *testclock.Clock
}
