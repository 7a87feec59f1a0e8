package store

import (
	"context"
	"time"
)

// Patient is a French patient's administrative data, as the "amelipro
// InfoPatient" page shows it.
type Patient struct {
	NIR        string // 13 characters, canonical, "2A"/"2B" kept
	NIRKey     string
	Sex        string // "1" or "2"
	FamilyName string
	UsageName  string
	GivenNames string
	BirthDate  time.Time
	BirthPlace string

	AddressLine, PostalCode, City string

	Regime   string // e.g. "Régime général"
	FundCode string // e.g. "751"
	FundName string // e.g. "CPAM de Paris"
	// RightsUntil ends the basic (AMO) rights; zero means open-ended.
	RightsUntil       time.Time
	Complementary     string
	LongTermCondition bool   // ALD
	AttendingDoctor   string // médecin traitant
	UpdatedAt         time.Time
}

// UpsertPatient inserts or replaces a patient. UpdatedAt defaults to now.
func (s *Store) UpsertPatient(ctx context.Context, p Patient) error {
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = s.now()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO patients (nir, nir_key, sex, family_name, usage_name, given_names,
			birth_date, birth_place, address_line, postal_code, city, regime, fund_code, fund_name,
			rights_until, complementary, long_term, attending, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
		ON CONFLICT (nir) DO UPDATE SET nir_key = excluded.nir_key, sex = excluded.sex,
			family_name = excluded.family_name, usage_name = excluded.usage_name, given_names = excluded.given_names,
			birth_date = excluded.birth_date, birth_place = excluded.birth_place, address_line = excluded.address_line,
			postal_code = excluded.postal_code, city = excluded.city, regime = excluded.regime,
			fund_code = excluded.fund_code, fund_name = excluded.fund_name, rights_until = excluded.rights_until,
			complementary = excluded.complementary, long_term = excluded.long_term, attending = excluded.attending,
			updated_at = excluded.updated_at`,
		p.NIR, p.NIRKey, p.Sex, p.FamilyName, p.UsageName, p.GivenNames,
		date(p.BirthDate), p.BirthPlace, p.AddressLine, p.PostalCode, p.City, p.Regime, p.FundCode, p.FundName,
		date(p.RightsUntil), p.Complementary, p.LongTermCondition, p.AttendingDoctor, unix(p.UpdatedAt))
	return err
}

// PatientByNIR returns the patient with this 13-character NIR.
func (s *Store) PatientByNIR(ctx context.Context, nir string) (Patient, error) {
	var p Patient
	var birth, rights string
	var updated int64
	err := s.db.QueryRowContext(ctx, `SELECT nir, nir_key, sex, family_name, usage_name, given_names, birth_date, birth_place,
			address_line, postal_code, city, regime, fund_code, fund_name, rights_until, complementary, long_term, attending, updated_at
		FROM patients WHERE nir = $1`, nir).Scan(
		&p.NIR, &p.NIRKey, &p.Sex, &p.FamilyName, &p.UsageName, &p.GivenNames, &birth, &p.BirthPlace,
		&p.AddressLine, &p.PostalCode, &p.City, &p.Regime, &p.FundCode, &p.FundName, &rights, &p.Complementary,
		&p.LongTermCondition, &p.AttendingDoctor, &updated)
	if err != nil {
		return Patient{}, notFoundOr(err)
	}
	p.BirthDate, p.RightsUntil, p.UpdatedAt = fromDate(birth), fromDate(rights), fromUnix(updated)
	return p, nil
}

// CountPatients counts the patients.
func (s *Store) CountPatients(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM patients`).Scan(&n)
	return n, err
}
