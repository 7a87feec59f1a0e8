package rightssim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/nir"
	"github.com/infopatient/infopatient/internal/sandbox/rightssim"
)

// The demo patients live here since the patient page reads rights from
// ADRi (they were data/demo/patients.json): twenty assurés of rank 1.
// Every NIR agrees with its beneficiary's birth date; a Corsican one (2A,
// 2B) belongs to someone born from 1976, when the departments were
// created (before, Corsica was coded 20); certified NIRs carry the key
// computed the Corsican way (2A → 19, 2B → 18).
func TestDemoPatients(t *testing.T) {
	bs, err := rightssim.LoadBeneficiaries(data.Files, "sandbox/adri-beneficiaries.json")
	if err != nil {
		t.Fatal(err)
	}
	demo := 0
	for _, b := range bs {
		if !strings.HasPrefix(b.ID, "demo-") {
			continue
		}
		demo++
		if b.Rank != 1 || b.Quality != "0" {
			t.Errorf("%s: rank %d, qualité %s", b.ID, b.Rank, b.Quality)
		}
		n, err := nir.Parse(b.AssureNIR)
		if err != nil {
			t.Errorf("%s: %v", b.ID, err)
			continue
		}
		born, err := time.Parse(time.DateOnly, b.BirthDate)
		if err != nil {
			t.Errorf("%s: %v", b.ID, err)
			continue
		}
		if n.BirthYear() != born.Year()%100 {
			t.Errorf("%s: NIR year %02d, born %d", b.ID, n.BirthYear(), born.Year())
		}
		if m, ok := n.BirthMonth(); ok && m != born.Month() {
			t.Errorf("%s: NIR month %v, born in %v", b.ID, m, born.Month())
		}
		if d := n.Department(); (d == "2A" || d == "2B") && born.Year() < 1976 {
			t.Errorf("%s: department %s, but born in %d", b.ID, d, born.Year())
		}
		if b.CertifiedNIR != "" && b.CertifiedNIR != n.String()+n.Key() {
			t.Errorf("%s: certified NIR %s, want %s%s", b.ID, b.CertifiedNIR, n.String(), n.Key())
		}
	}
	if demo != 20 {
		t.Errorf("%d demo patients, want 20", demo)
	}
	// 97 − (1761219004018 mod 97) = 35, 97 − (2910718033112 mod 97) = 76.
	for assure, key := range map[string]string{"176122A004018": "35", "291072B033112": "76"} {
		if n, err := nir.Parse(assure); err != nil || n.Key() != key {
			t.Errorf("%s: key %q, want %s (%v)", assure, n.Key(), key, err)
		}
	}
}
