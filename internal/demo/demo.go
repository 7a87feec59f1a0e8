// Package demo seeds the demo accounts and patients that let a presenter
// show the whole journey on a laptop with no network.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/nir"
	"github.com/infopatient/infopatient/internal/password"
	"github.com/infopatient/infopatient/internal/store"
)

// Password is every demo account's password, printed at start-up.
const Password = "infopatient"

// Store is what seeding needs.
type Store interface {
	AccountByLogin(ctx context.Context, login string) (store.Account, error)
	CreateAccount(ctx context.Context, a store.Account) (store.Account, error)
	LinkIdentity(ctx context.Context, provider, subject string, accountID int64) error
	UpsertPatient(ctx context.Context, p store.Patient) error
}

// Account is a demo account as data/demo/accounts.json lists it.
type Account struct {
	Login      string     `json:"login"`
	GivenName  string     `json:"given_name"`
	FamilyName string     `json:"family_name"`
	Profession string     `json:"profession"`
	RPPS       string     `json:"rpps"`
	Identities []Identity `json:"identities"`
}

// Identity is an authority identity pre-linked to a demo account.
type Identity struct {
	Provider string `json:"provider"`
	Subject  string `json:"subject"`
}

type patient struct {
	NIR           string `json:"nir"`
	Sex           string `json:"sex"`
	FamilyName    string `json:"family_name"`
	UsageName     string `json:"usage_name"`
	GivenNames    string `json:"given_names"`
	BirthDate     string `json:"birth_date"`
	BirthPlace    string `json:"birth_place"`
	Address       string `json:"address"`
	PostalCode    string `json:"postal_code"`
	City          string `json:"city"`
	Regime        string `json:"regime"`
	FundCode      string `json:"fund_code"`
	FundName      string `json:"fund_name"`
	RightsUntil   string `json:"rights_until"`
	Complementary string `json:"complementary"`
	ALD           bool   `json:"ald"`
	Attending     string `json:"attending"`
}

// Accounts returns the demo accounts, for printing and for tests.
func Accounts() ([]Account, error) {
	var out []Account
	return out, readJSON("demo/accounts.json", &out)
}

// Seed creates the missing demo accounts (with Password), links their
// identities and writes the demo patients. Running it again changes nothing.
func Seed(ctx context.Context, st Store, h password.Hasher) error {
	accounts, err := Accounts()
	if err != nil {
		return err
	}
	for _, a := range accounts {
		if err := seedAccount(ctx, st, h, a); err != nil {
			return fmt.Errorf("demo account %s: %w", a.Login, err)
		}
	}
	var patients []patient
	if err := readJSON("demo/patients.json", &patients); err != nil {
		return err
	}
	for _, p := range patients {
		sp, err := p.toStore()
		if err != nil {
			return fmt.Errorf("demo patient %s: %w", p.NIR, err)
		}
		if err := st.UpsertPatient(ctx, sp); err != nil {
			return err
		}
	}
	return nil
}

func seedAccount(ctx context.Context, st Store, h password.Hasher, a Account) error {
	acct, err := st.AccountByLogin(ctx, a.Login)
	if errors.Is(err, store.ErrNotFound) {
		hash, herr := h.Hash(Password)
		if herr != nil {
			return herr
		}
		acct, err = st.CreateAccount(ctx, store.Account{
			Login: a.Login, GivenName: a.GivenName, FamilyName: a.FamilyName,
			Profession: a.Profession, RPPS: a.RPPS, PasswordHash: hash,
		})
	}
	if err != nil {
		return err
	}
	for _, id := range a.Identities {
		if err := st.LinkIdentity(ctx, id.Provider, id.Subject, acct.ID); err != nil && !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return nil
}

func (p patient) toStore() (store.Patient, error) {
	n, err := nir.Parse(p.NIR)
	if err != nil {
		return store.Patient{}, err
	}
	birth, err := time.Parse(time.DateOnly, p.BirthDate)
	if err != nil {
		return store.Patient{}, err
	}
	var until time.Time
	if p.RightsUntil != "" {
		if until, err = time.Parse(time.DateOnly, p.RightsUntil); err != nil {
			return store.Patient{}, err
		}
	}
	return store.Patient{
		NIR: n.String(), NIRKey: n.Key(), Sex: p.Sex,
		FamilyName: p.FamilyName, UsageName: p.UsageName, GivenNames: p.GivenNames,
		BirthDate: birth, BirthPlace: p.BirthPlace,
		AddressLine: p.Address, PostalCode: p.PostalCode, City: p.City,
		Regime: p.Regime, FundCode: p.FundCode, FundName: p.FundName,
		RightsUntil: until, Complementary: p.Complementary,
		LongTermCondition: p.ALD, AttendingDoctor: p.Attending,
	}, nil
}

func readJSON(name string, v any) error {
	b, err := fs.ReadFile(data.Files, name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
