package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

func testPatients(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	corsican := store.Patient{
		NIR: "176122A004018", NIRKey: "35", Sex: "1", FamilyName: "SANTONI", GivenNames: "Ange-Marie",
		BirthDate: day(1976, 12, 3), BirthPlace: "AJACCIO",
		AddressLine: "12 cours Napoléon", PostalCode: "20000", City: "AJACCIO",
		Regime: "Régime général", FundCode: "2A1", FundName: "CPAM de la Corse-du-Sud",
		RightsUntil: day(2030, 6, 30), Complementary: "C2S", LongTermCondition: true,
		AttendingDoctor: "Dr Zoé Müller-Dubois", UpdatedAt: time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC),
	}
	married := store.Patient{
		NIR: "2850575118035", NIRKey: "", Sex: "2", FamilyName: "MARTIN", UsageName: "DUBOIS", GivenNames: "Éloïse Marie",
		BirthDate: day(1985, 5, 1), City: "PARIS 18E", Regime: "Régime général", FundCode: "751", FundName: "CPAM de Paris",
	}
	for _, p := range []store.Patient{corsican, married} {
		if err := s.UpsertPatient(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.PatientByNIR(ctx, corsican.NIR)
	if err != nil || got != corsican {
		t.Errorf("round trip:\n got %+v %v\nwant %+v", got, err, corsican)
	}
	got, err = s.PatientByNIR(ctx, married.NIR)
	if err != nil || !got.RightsUntil.IsZero() || got.LongTermCondition || got.UsageName != "DUBOIS" || got.GivenNames != "Éloïse Marie" {
		t.Errorf("open rights, no ALD: %+v %v", got, err)
	}
	if time.Since(got.UpdatedAt) > time.Minute {
		t.Errorf("UpdatedAt defaults to now, got %v", got.UpdatedAt)
	}

	// An update replaces every field, empty ones included.
	moved := corsican
	moved.City, moved.PostalCode, moved.AddressLine = "BASTIA", "20200", ""
	moved.LongTermCondition, moved.RightsUntil, moved.Complementary = false, time.Time{}, ""
	moved.UpdatedAt = corsican.UpdatedAt.Add(time.Hour)
	if err := s.UpsertPatient(ctx, moved); err != nil {
		t.Fatal(err)
	}
	if got, err := s.PatientByNIR(ctx, corsican.NIR); err != nil || got != moved {
		t.Errorf("after update:\n got %+v %v\nwant %+v", got, err, moved)
	}
	if n, err := s.CountPatients(ctx); n != 2 || err != nil {
		t.Errorf("count %d %v", n, err)
	}
	for _, nir := range []string{"1750575999999", "176122B004018", ""} {
		_, err := s.PatientByNIR(ctx, nir)
		mustErr(t, "unknown NIR "+nir, err, store.ErrNotFound)
	}
}
