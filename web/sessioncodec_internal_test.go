package web

import (
	"fmt"
	"maps"
	"reflect"
	"testing"
	"time"
)

func encodedTestSession(t testing.TB, values map[string]any) []byte {
	t.Helper()
	b, err := jsonCodec{}.Encode(time.Unix(1_800_000_000, 0).UTC(), values)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A session decoded again comes from the memo, equal to a fresh decode,
// in a map of its own: scs writes into the map it is given, and one
// request's changes must never reach the next request's session.
func TestJSONCodecRemembersDecodedSessions(t *testing.T) {
	c := jsonCodec{decoded: newDecodedSessions(8)}
	b := encodedTestSession(t, map[string]any{"account_id": "42", "display_name": "VIRGINIE MEDECIN", "seen": "1700000000"})
	d1, v1, err := c.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	v1["account_id"] = "666"
	delete(v1, "seen")
	v1["flash"] = "x"
	d2, v2, err := c.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"account_id": "42", "display_name": "VIRGINIE MEDECIN", "seen": "1700000000"}
	if !maps.Equal(v2, want) || !d2.Equal(d1) || !d2.Equal(time.Unix(1_800_000_000, 0)) {
		t.Errorf("second decode %v %v, want %v", d2, v2, want)
	}
	if c.decoded.len() != 1 {
		t.Errorf("%d sessions remembered, want 1", c.decoded.len())
	}
	// Other bytes, another session: the memo is keyed by the encoding.
	_, v3, err := c.Decode(encodedTestSession(t, map[string]any{"account_id": "7"}))
	if err != nil || !maps.Equal(v3, map[string]any{"account_id": "7"}) {
		t.Errorf("another session decoded as %v, %v", v3, err)
	}
}

// A remembered session costs a map copy, not a JSON decode: this fails
// if the memo is lost (a decode of this session is some thirty
// allocations).
func TestJSONCodecRememberedDecodeAllocations(t *testing.T) {
	c := jsonCodec{decoded: newDecodedSessions(8)}
	b := encodedTestSession(t, map[string]any{"account_id": "42", "display_name": "VIRGINIE MEDECIN",
		"identifier": "RPPS 99700218896", "method": "psc", "seen": "1700000000"})
	if _, _, err := c.Decode(b); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _, _ = c.Decode(b) }); n > 3 {
		t.Errorf("a remembered session costs %v allocations", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _, _ = (jsonCodec{}).Decode(b) }); n < 10 {
		t.Errorf("a JSON decode costs only %v allocations: the test above proves nothing", n)
	}
}

// The memo is bounded: two generations of at most max sessions; the
// sessions used lately survive a turnover, the others go.
func TestDecodedSessionsBounded(t *testing.T) {
	c := jsonCodec{decoded: newDecodedSessions(4)}
	hot := encodedTestSession(t, map[string]any{"account_id": "1"})
	for i := range 50 {
		if _, _, err := c.Decode(hot); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.Decode(encodedTestSession(t, map[string]any{"account_id": fmt.Sprint(100 + i)})); err != nil {
			t.Fatal(err)
		}
		if n := c.decoded.len(); n > 8 {
			t.Fatalf("%d sessions remembered, at most 8", n)
		}
	}
	if _, _, ok := c.decoded.get(hot); !ok {
		t.Error("the session used on every request was dropped")
	}
	if _, _, ok := c.decoded.get(encodedTestSession(t, map[string]any{"account_id": "100"})); ok {
		t.Error("a session unused for many turnovers is still there")
	}
}

// Bad bytes are an error every time, never remembered.
func TestJSONCodecDoesNotRememberErrors(t *testing.T) {
	c := jsonCodec{decoded: newDecodedSessions(4)}
	for range 2 {
		if _, _, err := c.Decode([]byte(`{"v":{"a":1}}`)); err == nil {
			t.Error("a non-string value decoded")
		}
	}
	if c.decoded.len() != 0 {
		t.Error("an undecodable session was remembered")
	}
}

// FuzzJSONCodecDecode: whatever the bytes (the database's, but a codec
// must not trust them), the remembered decode says what a fresh decode
// says, the first time and the next.
func FuzzJSONCodecDecode(f *testing.F) {
	f.Add([]byte(`{"d":"2027-01-01T00:00:00Z","v":{"account_id":"42","seen":"1"}}`))
	f.Add([]byte(`{"v":{}}`))
	f.Add([]byte(`{"v":{"a":1}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, b []byte) {
		c := jsonCodec{decoded: newDecodedSessions(4)}
		wd, wv, werr := jsonCodec{}.Decode(b)
		for range 2 {
			d, v, err := c.Decode(b)
			if (err == nil) != (werr == nil) || !d.Equal(wd) || !reflect.DeepEqual(v, wv) {
				t.Fatalf("remembered decode %v %v %v, fresh %v %v %v", d, v, err, wd, wv, werr)
			}
			if v != nil {
				v["mutated"] = "yes"
			}
		}
	})
}
