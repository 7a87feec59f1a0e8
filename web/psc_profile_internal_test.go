package web

import (
	"errors"
	"reflect"
	"testing"

	"github.com/infopatient/infopatient/internal/psc"
)

func TestPSCProfileRoundTrip(t *testing.T) {
	p := newPSCProfile(psc.Professional{
		GivenName: "VIRGINIE", FamilyName: "MEDECIN", IDNat: "899700218896", ProfessionCode: "10",
		Activities: []psc.Activity{{Organisation: "CABINET", City: "PARIS"}},
	}, map[string]any{"sub": "s", "acr": 3}, map[string]any{"otherIds": []any{map[string]any{"id": "1"}}})
	b, err := p.encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodePSCProfile(b)
	if err != nil || !reflect.DeepEqual(got, p) {
		t.Fatalf("decode(encode) = %+v, %v; want %+v", got, err, p)
	}
	if p.Professional.Profession != "10" || len(p.Claims) != 3 || p.Claims[0].Value != "3" || p.Claims[2].Value != `[{"id":"1"}]` {
		t.Errorf("profile %+v", p)
	}
	v, claims := got.views()
	if v.GivenName != "VIRGINIE" || v.Activities[0].City != "PARIS" || len(claims) != 3 || claims[1].Name != "sub" {
		t.Errorf("views %+v %+v", v, claims)
	}
	if _, err := decodePSCProfile([]byte(`{"v":2}`)); !errors.Is(err, errPSCProfileVersion) {
		t.Errorf("version 2: %v", err)
	}
}

func FuzzDecodePSCProfile(f *testing.F) {
	f.Add([]byte(`{"professional":{"GivenName":"A"},"claims":[{"Source":"id_token","Name":"n","Value":"v"}]}`))
	f.Add([]byte(`{"v":1,"professional":{},"claims":null}`))
	f.Add([]byte(`{"v":-1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodePSCProfile(b)
		if err != nil {
			return
		}
		again, err := p.encode()
		if err != nil {
			t.Fatal(err)
		}
		q, err := decodePSCProfile(again)
		if err != nil || !reflect.DeepEqual(p, q) {
			t.Fatalf("a decoded profile does not survive a round trip: %v", err)
		}
		p.views()
	})
}
