package covercardsim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzValidation sends arbitrary parameters: the simulator answers 200
// with a well-formed windows-1252 document (but for the malformed card)
// or 400, and echoes a numeric card number intact.
func FuzzValidation(f *testing.F) {
	for _, c := range []string{cardZoe, cardBlocked, cardUnknown, cardMalformed, "", "8075600000000000000%", "Zoé<&>", "\x00\xff"} {
		f.Add(c, "1", "XML", "42a")
	}
	f.Add(cardZoe, "é", "xml", "42A")
	sim, err := New(Config{Cards: shippedCards(f), Tokens: testTokens, Now: func() time.Time { return testNow }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, carte, langue, typ, returnType string) {
		q := url.Values{"type": {typ}, "langue": {langue}, "carte": {carte}, "ReturnType": {returnType}}
		req := httptest.NewRequest(http.MethodGet, ServletPath+"?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer good#+token")
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, req)
		switch rec.Code {
		case 400:
			return
		case 200:
		default:
			t.Fatalf("status %d", rec.Code)
		}
		card := strings.TrimSpace(req.URL.Query().Get("carte"))
		if card == cardMalformed {
			return
		}
		doc, err := decode(rec.Body.Bytes())
		if err != nil {
			t.Fatalf("answer for %q does not decode: %v", carte, err)
		}
		if allDigits(card) && doc.get("cardNoVeka") != card {
			t.Fatalf("cardNoVeka %q, sent %q", doc.get("cardNoVeka"), card)
		}
	})
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
