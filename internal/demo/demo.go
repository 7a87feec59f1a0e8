// Package demo seeds the demo accounts that let a presenter show the
// whole journey on a laptop with no network. The demo patients are the
// sandbox's: French ones in the ADRi simulator
// (data/sandbox/adri-beneficiaries.json), Swiss ones in Covercard's.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"

	"github.com/infopatient/infopatient/data"
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
}

// Account is a demo account as data/demo/accounts.json lists it.
type Account struct {
	Login      string     `json:"login"`
	GivenName  string     `json:"given_name"`
	FamilyName string     `json:"family_name"`
	Profession string     `json:"profession"`
	RPPS       string     `json:"rpps"`
	GLN        string     `json:"gln"`
	Identities []Identity `json:"identities"`
}

// Identity is an authority identity pre-linked to a demo account.
type Identity struct {
	Provider string `json:"provider"`
	Subject  string `json:"subject"`
}

// Accounts returns the demo accounts, for printing and for tests.
func Accounts() ([]Account, error) {
	var out []Account
	return out, readJSON("demo/accounts.json", &out)
}

// Seed creates the missing demo accounts (with Password) and links their
// identities. Running it again changes nothing.
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
			Profession: a.Profession, RPPS: a.RPPS, GLN: a.GLN, PasswordHash: hash,
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
