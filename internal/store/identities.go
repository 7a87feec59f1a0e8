package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Identity is an authority's identity linked to an account: ("psc",
// idNat) or ("hin", hin_id).
type Identity struct {
	Provider  string
	Subject   string
	AccountID int64
	LinkedAt  time.Time
}

// LinkIdentity links (provider, subject) to an account. Linking it again to
// the same account changes nothing; to another account is ErrConflict; to
// an unknown account, ErrNotFound.
func (s *Store) LinkIdentity(ctx context.Context, provider, subject string, accountID int64) error {
	// One statement, so that two instances linking at once cannot both
	// win: the no-op update fires only when the link is already this
	// account's, and RETURNING yields a row only on insert or that no-op.
	var linked int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO identities (provider, subject, account_id, linked_at)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (provider, subject) DO UPDATE SET linked_at = identities.linked_at
			WHERE identities.account_id = excluded.account_id
		RETURNING account_id`,
		provider, subject, accountID, unix(s.now())).Scan(&linked)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrConflict
	}
	return constraintErr(err)
}

// UnlinkIdentity removes a link; ErrNotFound when there is none.
func (s *Store) UnlinkIdentity(ctx context.Context, provider, subject string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM identities WHERE provider = $1 AND subject = $2`, provider, subject)
	return affected(res, err)
}

// AccountByIdentity returns the account linked to (provider, subject).
func (s *Store) AccountByIdentity(ctx context.Context, provider, subject string) (Account, error) {
	return scanAccount(s.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE id = (SELECT account_id FROM identities WHERE provider = $1 AND subject = $2)`, provider, subject))
}

// IdentitiesOf lists an account's linked identities.
func (s *Store) IdentitiesOf(ctx context.Context, accountID int64) ([]Identity, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT provider, subject, account_id, linked_at FROM identities
		WHERE account_id = $1 ORDER BY provider, subject`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Identity
	for rows.Next() {
		var id Identity
		var at int64
		if err := rows.Scan(&id.Provider, &id.Subject, &id.AccountID, &at); err != nil {
			return nil, err
		}
		id.LinkedAt = fromUnix(at)
		out = append(out, id)
	}
	return out, rows.Err()
}
