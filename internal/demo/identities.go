package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/vigilance"
)

// IdentityStore is what seeding the demo's patient identities needs.
type IdentityStore interface {
	AccountByLogin(ctx context.Context, login string) (store.Account, error)
	PatientIdentityByINS(ctx context.Context, matricule, oid string) (store.PatientIdentity, error)
	SaveINSiResult(ctx context.Context, r store.INSiResult) (store.PatientIdentity, error)
	QualifyIdentity(ctx context.Context, id int64, doc vigilance.Document, accountID int64) (store.PatientIdentity, error)
}

// AuditDemoIdentity names a seeded identity in the audit trail.
const AuditDemoIdentity = "insi-demo"

// identity is a demo patient identity as data/demo/identities.json lists
// it: the traits, the INS, and who qualified it against which document.
type identity struct {
	BirthName  string `json:"birth_name"`
	GivenNames string `json:"given_names"`
	Sex        string `json:"sex"`
	BirthDate  string `json:"birth_date"`
	BirthPlace string `json:"birth_place"`
	INS        struct {
		Matricule string `json:"matricule"`
		Key       string `json:"key"`
		OID       string `json:"oid"`
	} `json:"ins"`
	QualifiedBy string `json:"qualified_by"`
	Document    string `json:"document"`
}

// SeedIdentities keeps the demo's patient identities, already qualified
// (PAT-TROIS): the page shows the qualified layout without a call to
// INSi. An identity already kept is left as it is, whatever was done to
// it since. The rows go to the qualifying account's audit trail.
func SeedIdentities(ctx context.Context, st IdentityStore) error {
	var ids []identity
	if err := readJSON("demo/identities.json", &ids); err != nil {
		return err
	}
	for _, id := range ids {
		if err := seedIdentity(ctx, st, id); err != nil {
			return fmt.Errorf("demo identity %s: %w", id.BirthName, err)
		}
	}
	return nil
}

func seedIdentity(ctx context.Context, st IdentityStore, id identity) error {
	_, err := st.PatientIdentityByINS(ctx, id.INS.Matricule, id.INS.OID)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return err
	}
	acct, err := st.AccountByLogin(ctx, id.QualifiedBy)
	if err != nil {
		return err
	}
	birth, err := time.Parse(time.DateOnly, id.BirthDate)
	if err != nil {
		return err
	}
	p, err := st.SaveINSiResult(ctx, store.INSiResult{
		AccountID: acct.ID, Operation: AuditDemoIdentity, MessageID: "demo", Code: "00",
		BirthName: id.BirthName, GivenNames: id.GivenNames, Sex: id.Sex, BirthDate: birth, BirthPlace: id.BirthPlace,
		INS: store.INS{Matricule: id.INS.Matricule, Key: id.INS.Key, OID: id.INS.OID},
	})
	if err != nil {
		return err
	}
	_, err = st.QualifyIdentity(ctx, p.ID, vigilance.Document(id.Document), acct.ID)
	return err
}
