package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"time"
)

// Passkey is a WebAuthn credential registered by a local account. Record
// is the relying party's credential record (go-webauthn's, as JSON); the
// store keeps it as given and only reads its sign count apart.
type Passkey struct {
	ID           int64
	AccountID    int64
	CredentialID []byte
	Name         string
	Record       []byte
	SignCount    uint32
	CreatedAt    time.Time
	// LastUsedAt is zero until the passkey is first used.
	LastUsedAt time.Time
}

// What the security trail records (SecurityEvent.Kind).
const (
	EventPasskeyRegistered = "passkey.registered"
	EventPasskeyUsed       = "passkey.used"
	EventPasskeyRemoved    = "passkey.removed"
	EventPasskeysReset     = "passkeys.reset"
	EventPasskeyRequired   = "passkey.required"
	EventPasskeyOptional   = "passkey.optional"
)

// SecurityEvent is one entry of an account's security trail. Detail is
// what the entry is about (a passkey's name), never a secret.
type SecurityEvent struct {
	ID        int64
	AccountID int64
	At        time.Time
	Kind      string
	Detail    string
}

// passkeyHandleSize is the WebAuthn user handle's length: random bytes,
// at most 64 by the specification.
const passkeyHandleSize = 32

// PasskeyUserHandle returns the account's WebAuthn user handle, made
// (random) on first use. An unknown account is ErrNotFound.
func (s *Store) PasskeyUserHandle(ctx context.Context, accountID int64) ([]byte, error) {
	handle := make([]byte, passkeyHandleSize)
	_, _ = rand.Read(handle) // never fails (crypto/rand)
	// Two first registrations at once: the row inserted first wins, and
	// both read it back.
	if _, err := s.db.ExecContext(ctx, `INSERT INTO passkey_users (account_id, user_handle) VALUES ($1, $2)
		ON CONFLICT (account_id) DO NOTHING`, accountID, handle); err != nil {
		return nil, constraintErr(err)
	}
	var got []byte
	err := s.db.QueryRowContext(ctx, `SELECT user_handle FROM passkey_users WHERE account_id = $1`, accountID).Scan(&got)
	return got, notFoundOr(err)
}

// AccountByPasskeyHandle returns the account whose user handle this is.
func (s *Store) AccountByPasskeyHandle(ctx context.Context, handle []byte) (Account, error) {
	if len(handle) == 0 {
		return Account{}, ErrNotFound
	}
	return scanAccount(s.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE id = (SELECT account_id FROM passkey_users WHERE user_handle = $1)`, handle))
}

// SetPasskeyRequired says whether the account must prove itself with a
// passkey whatever the portal's policy, and records it in its trail.
func (s *Store) SetPasskeyRequired(ctx context.Context, accountID int64, required bool) error {
	if _, err := s.PasskeyUserHandle(ctx, accountID); err != nil {
		return err
	}
	kind := EventPasskeyOptional
	if required {
		kind = EventPasskeyRequired
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE passkey_users SET require_passkey = $1 WHERE account_id = $2`, required, accountID)
		if err := affected(res, err); err != nil {
			return err
		}
		return s.recordEvent(ctx, tx, SecurityEvent{AccountID: accountID, Kind: kind})
	})
}

// PasskeyRequired tells whether the account must use a passkey (false
// for an account never set).
func (s *Store) PasskeyRequired(ctx context.Context, accountID int64) (bool, error) {
	var required bool
	err := s.db.QueryRowContext(ctx, `SELECT require_passkey FROM passkey_users WHERE account_id = $1`, accountID).Scan(&required)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return required, err
}

const passkeyColumns = `id, account_id, credential_id, name, record, sign_count, created_at, last_used_at`

func scanPasskey(row interface{ Scan(...any) error }) (Passkey, error) {
	var p Passkey
	var record string
	var count, created, used int64
	err := row.Scan(&p.ID, &p.AccountID, &p.CredentialID, &p.Name, &record, &count, &created, &used)
	p.Record, p.SignCount = []byte(record), uint32(count) //nolint:gosec // written from a uint32
	p.CreatedAt, p.LastUsedAt = fromUnix(created), fromUnix(used)
	return p, notFoundOr(err)
}

// AddPasskey registers a passkey and records it in the account's trail,
// in one transaction. A credential id already registered (to any account)
// is ErrConflict; an unknown account ErrNotFound.
func (s *Store) AddPasskey(ctx context.Context, p Passkey) (Passkey, error) {
	if p.CreatedAt.IsZero() {
		p.CreatedAt = s.now()
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO passkeys (account_id, credential_id, name, record, sign_count, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			p.AccountID, p.CredentialID, p.Name, string(p.Record), int64(p.SignCount), unix(p.CreatedAt)).Scan(&p.ID)
		if err != nil {
			return constraintErr(err)
		}
		return s.recordEvent(ctx, tx, SecurityEvent{AccountID: p.AccountID, At: p.CreatedAt, Kind: EventPasskeyRegistered, Detail: p.Name})
	})
	if err != nil {
		return Passkey{}, err
	}
	p.CreatedAt = fromUnix(unix(p.CreatedAt))
	return p, nil
}

// PasskeysOf lists an account's passkeys, oldest first.
func (s *Store) PasskeysOf(ctx context.Context, accountID int64) ([]Passkey, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+passkeyColumns+` FROM passkeys WHERE account_id = $1 ORDER BY id`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Passkey
	for rows.Next() {
		p, err := scanPasskey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CountPasskeys counts an account's passkeys.
func (s *Store) CountPasskeys(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM passkeys WHERE account_id = $1`, accountID).Scan(&n)
	return n, err
}

// PasskeyByCredentialID returns the passkey with this credential id.
func (s *Store) PasskeyByCredentialID(ctx context.Context, credentialID []byte) (Passkey, error) {
	return scanPasskey(s.db.QueryRowContext(ctx, `SELECT `+passkeyColumns+` FROM passkeys WHERE credential_id = $1`, credentialID))
}

// UsePasskey writes back what a verified use changed (the record, its new
// sign count), stamps it used and records the use, in one transaction.
// The row is written only if its count is still checkedCount, the one the
// assertion was verified against: of two assertions racing with the same
// count, one wins and the other gets ErrConflict. A removed passkey is
// ErrNotFound.
func (s *Store) UsePasskey(ctx context.Context, p Passkey, checkedCount uint32) (Passkey, error) {
	if p.LastUsedAt.IsZero() {
		p.LastUsedAt = s.now()
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, `UPDATE passkeys SET record = $1, sign_count = $2, last_used_at = $3
			WHERE id = $4 AND account_id = $5 AND sign_count = $6 RETURNING name`,
			string(p.Record), int64(p.SignCount), unix(p.LastUsedAt), p.ID, p.AccountID, int64(checkedCount)).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM passkeys WHERE id = $1 AND account_id = $2`, p.ID, p.AccountID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return ErrNotFound
			}
			return ErrConflict
		}
		if err != nil {
			return err
		}
		p.Name = name
		return s.recordEvent(ctx, tx, SecurityEvent{AccountID: p.AccountID, At: p.LastUsedAt, Kind: EventPasskeyUsed, Detail: name})
	})
	if err != nil {
		return Passkey{}, err
	}
	p.LastUsedAt = fromUnix(unix(p.LastUsedAt))
	return p, nil
}

// RemovePasskey deletes one of the account's passkeys and records it; a
// passkey of another account, or none, is ErrNotFound.
func (s *Store) RemovePasskey(ctx context.Context, accountID, passkeyID int64) (Passkey, error) {
	var p Passkey
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = scanPasskey(tx.QueryRowContext(ctx, `DELETE FROM passkeys WHERE id = $1 AND account_id = $2
			RETURNING `+passkeyColumns, passkeyID, accountID))
		if err != nil {
			return err
		}
		return s.recordEvent(ctx, tx, SecurityEvent{AccountID: accountID, Kind: EventPasskeyRemoved, Detail: p.Name})
	})
	return p, err
}

// ResetPasskeys deletes every passkey of the account (recovery from the
// command line), records it, and returns how many went.
func (s *Store) ResetPasskeys(ctx context.Context, accountID int64) (int, error) {
	if _, err := s.AccountByID(ctx, accountID); err != nil {
		return 0, err
	}
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM passkeys WHERE account_id = $1`, accountID)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return s.recordEvent(ctx, tx, SecurityEvent{AccountID: accountID, Kind: EventPasskeysReset})
	})
	return int(n), err
}

// RecentSecurityEvents returns an account's latest security events,
// newest first, at most limit of them.
func (s *Store) RecentSecurityEvents(ctx context.Context, accountID int64, limit int) ([]SecurityEvent, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, account_id, at, kind, detail FROM security_events
		WHERE account_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, accountID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SecurityEvent
	for rows.Next() {
		var e SecurityEvent
		var at int64
		if err := rows.Scan(&e.ID, &e.AccountID, &at, &e.Kind, &e.Detail); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// recordEvent appends to the security trail inside tx (milliseconds, as
// the lookups).
func (s *Store) recordEvent(ctx context.Context, tx *sql.Tx, e SecurityEvent) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO security_events (account_id, at, kind, detail) VALUES ($1, $2, $3, $4)`,
		e.AccountID, e.At.UnixMilli(), e.Kind, e.Detail)
	return constraintErr(err)
}
