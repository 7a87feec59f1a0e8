package store

import (
	"context"
	"database/sql"
	"time"
)

// Account is a local professional. Login is the N° d'Assurance Maladie.
type Account struct {
	ID         int64
	Login      string
	GivenName  string
	FamilyName string
	Profession string
	RPPS       string
	// GLN is the Swiss professional's Global Location Number (13 digits,
	// "" when none): a HIN identity whose directory profile names it is
	// linked to this account (see LinkIdentityByGLN). Unique when set.
	GLN string
	// PasswordHash is empty for an account without a local password.
	PasswordHash string
	CreatedAt    time.Time
}

const accountColumns = `id, login, given_name, family_name, profession, rpps, gln, password_hash, created_at`

func scanAccount(row interface{ Scan(...any) error }) (Account, error) {
	var a Account
	var created int64
	err := row.Scan(&a.ID, &a.Login, &a.GivenName, &a.FamilyName, &a.Profession, &a.RPPS, &a.GLN, &a.PasswordHash, &created)
	a.CreatedAt = fromUnix(created)
	return a, notFoundOr(err)
}

// CreateAccount inserts a; ErrConflict when the login, or the GLN, is
// another account's.
func (s *Store) CreateAccount(ctx context.Context, a Account) (Account, error) {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = s.now()
	}
	row := s.db.QueryRowContext(ctx, `INSERT INTO accounts (login, given_name, family_name, profession, rpps, gln, password_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		a.Login, a.GivenName, a.FamilyName, a.Profession, a.RPPS, a.GLN, a.PasswordHash, unix(a.CreatedAt))
	if err := row.Scan(&a.ID); err != nil {
		return Account{}, constraintErr(err)
	}
	a.CreatedAt = fromUnix(unix(a.CreatedAt)) // as it reads back: UTC, whole seconds
	return a, nil
}

// AccountByID returns the account, or ErrNotFound.
func (s *Store) AccountByID(ctx context.Context, id int64) (Account, error) {
	return scanAccount(s.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
}

// AccountByLogin returns the account, or ErrNotFound.
func (s *Store) AccountByLogin(ctx context.Context, login string) (Account, error) {
	return scanAccount(s.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE login = $1`, login))
}

// AccountByGLN returns the account whose GLN is gln, or ErrNotFound (an
// empty gln names none).
func (s *Store) AccountByGLN(ctx context.Context, gln string) (Account, error) {
	if gln == "" {
		return Account{}, ErrNotFound
	}
	return scanAccount(s.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE gln = $1`, gln))
}

// ListAccounts returns every account, by login.
func (s *Store) ListAccounts(ctx context.Context) ([]Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts ORDER BY login`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetPasswordHash replaces an account's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, accountID int64, hash string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE accounts SET password_hash = $1 WHERE id = $2`, hash, accountID)
	return affected(res, err)
}

// affected turns "no row changed" into ErrNotFound.
func affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
