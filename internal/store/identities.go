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

// EventIdentityLinkedByGLN is the security trail's entry of an identity
// linked by its GLN (LinkIdentityByGLN); its detail names the identity and
// the GLN.
const EventIdentityLinkedByGLN = "identity.linked_gln"

// ErrOtherIdentity: the account found already has another identity of
// that provider, so none is linked on its behalf.
var ErrOtherIdentity = errors.New("store: the account has another identity of that provider")

// LinkIdentityByGLN links (provider, subject) to the account whose GLN is
// gln, and writes the entry of the account's security trail, in one
// transaction. It returns the account. ErrNotFound: no account has that
// GLN (or gln is empty); ErrOtherIdentity: the account already has another
// identity of provider; ErrConflict: the identity is another account's.
// The account's row is locked first (an UPDATE that changes nothing), so
// that two identities racing for one account cannot both be linked.
func (s *Store) LinkIdentityByGLN(ctx context.Context, provider, subject, gln string) (Account, error) {
	if gln == "" {
		return Account{}, ErrNotFound
	}
	var acct Account
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE accounts SET gln = gln WHERE gln = $1 RETURNING id`, gln).Scan(&id)
		if err != nil {
			return notFoundOr(err)
		}
		var others int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM identities
			WHERE account_id = $1 AND provider = $2 AND subject <> $3`, id, provider, subject).Scan(&others); err != nil {
			return err
		}
		if others > 0 {
			return ErrOtherIdentity
		}
		var linked int64
		err = tx.QueryRowContext(ctx, `INSERT INTO identities (provider, subject, account_id, linked_at)
			VALUES ($1, $2, $3, $4)
			ON CONFLICT (provider, subject) DO UPDATE SET linked_at = identities.linked_at
				WHERE identities.account_id = excluded.account_id
			RETURNING account_id`, provider, subject, id, unix(s.now())).Scan(&linked)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrConflict
		}
		if err != nil {
			return constraintErr(err)
		}
		if err := s.recordEvent(ctx, tx, SecurityEvent{AccountID: id, Kind: EventIdentityLinkedByGLN,
			Detail: provider + " " + subject + " (GLN " + gln + ")"}); err != nil {
			return err
		}
		acct, err = scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
		return err
	})
	if err != nil {
		return Account{}, err
	}
	return acct, nil
}
