package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/infopatient/infopatient/internal/vigilance"
)

// PatientIdentity is a patient identity the portal retrieved from INSi or
// validated, with its identity-vigilance status (RNIV).
type PatientIdentity struct {
	ID         int64
	Status     vigilance.Status
	Attributes vigilance.Attributes

	// Strict (birth) traits, as INSi returned them.
	BirthName      string
	GivenNames     string // ListePrenom: the list, space separated
	FirstGivenName string
	Sex            string // "F" or "M"
	BirthDate      time.Time
	BirthPlace     string // COG
	// Used names, only as a user typed them: never filled from the birth
	// names (RNIV EXI PP 17/18).
	UsedName, UsedGivenName string

	// INS is the active INS (INSACTIF); History is INSHISTO as returned.
	INS     INS
	History []INS

	// The INSi answer that retrieved the identity: result code, message
	// id, who asked and when.
	INSiCode, INSiMessageID string
	RetrievedBy             int64
	RetrievedAt             time.Time

	// Qualification is nil until a professional qualifies the identity.
	Qualification *Qualification

	CreatedAt, UpdatedAt time.Time
}

// Vigilance is the identity as the RNIV rules see it.
func (p PatientIdentity) Vigilance() vigilance.Identity {
	return vigilance.Identity{Status: p.Status, Attributes: p.Attributes}
}

// INS is a matricule INS with its key and OID, as INSi returns it.
type INS struct {
	Matricule, Key, OID string
	// Type is INSi's TypeMatricule, when given.
	Type       string
	Start, End time.Time // DateDeb, DateFin, when given
}

// Qualification records who confirmed the traits against which
// high-trust document, and when.
type Qualification struct {
	Document  vigilance.Document
	AccountID int64
	At        time.Time
}

// INSiResult is a "00" answer of INSi, to be kept.
type INSiResult struct {
	// AccountID is the professional who asked.
	AccountID int64
	// Operation names the call in the audit trail ("insi-traits",
	// "insi-vitale"); "insi" when empty.
	Operation string
	MessageID string
	Code      string // CodeCR; only "00" carries an identity

	BirthName, GivenNames, Sex string
	BirthDate                  time.Time
	BirthPlace                 string
	INS                        INS
	History                    []INS
}

// Errors of patient identities.
var (
	// ErrNoINSIdentity: the INSi answer carries no identity (not 00, or
	// no matricule).
	ErrNoINSIdentity = errors.New("store: INSi answer without an identity")
)

// Audit operations of patient identities (lookups.kind).
const (
	AuditQualify = "identity-qualify"
	AuditMark    = "identity-mark"
)

// SaveINSiResult keeps the identity of a 00 answer, with its INS history
// as returned, and writes the audit row (operation, result code, message
// id; never the traits) in the same transaction. An identity already kept
// for this INS is updated: its status moves as the RNIV says (provisoire
// to récupérée, validée to qualifiée); a qualified identity whose strict
// traits changed goes back to récupérée and loses its qualification. One
// marked douteuse or fictive is refused with vigilance.ErrBlocked, and
// the refusal is audited.
func (s *Store) SaveINSiResult(ctx context.Context, r INSiResult) (PatientIdentity, error) {
	if r.Code != "00" || strings.TrimSpace(r.INS.Matricule) == "" {
		return PatientIdentity{}, ErrNoINSIdentity
	}
	op := r.Operation
	if op == "" {
		op = "insi"
	}
	now := s.now()
	var id int64
	var refused error
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := s.identityWhere(ctx, tx, `ins_matricule = $1 AND ins_oid = $2`, r.INS.Matricule, r.INS.OID)
		switch {
		case errors.Is(err, ErrNotFound):
			next, err := vigilance.Identity{Status: vigilance.Provisoire}.Retrieved()
			if err != nil {
				return err
			}
			err = tx.QueryRowContext(ctx, `INSERT INTO patient_identities (status, birth_name, given_names, first_given_name,
					sex, birth_date, birth_place, ins_matricule, ins_key, ins_oid, ins_type, ins_start, ins_end,
					insi_code, insi_message_id, retrieved_by, retrieved_at, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id`,
				string(next.Status), r.BirthName, r.GivenNames, vigilance.FirstGiven(r.GivenNames), r.Sex, date(r.BirthDate),
				r.BirthPlace, r.INS.Matricule, r.INS.Key, r.INS.OID, r.INS.Type, date(r.INS.Start), date(r.INS.End),
				r.Code, r.MessageID, r.AccountID, unix(now), unix(now)).Scan(&id)
			if err != nil {
				return constraintErr(err)
			}
		case err != nil:
			return err
		default:
			id = old.ID
			next, err := old.Vigilance().Retrieved()
			if err != nil {
				refused = err
				return auditTx(ctx, tx, r.AccountID, now, op, r.MessageID, r.Code+" refused: "+refusal(err))
			}
			qualDoc, qualBy, qualAt := string(docOf(old)), accountOf(old), atOf(old)
			if next.Status == vigilance.Qualifiee && traitsChanged(old, r) {
				next.Status, qualDoc, qualBy, qualAt = vigilance.Recuperee, "", nil, 0
			}
			_, err = tx.ExecContext(ctx, `UPDATE patient_identities SET status = $1, birth_name = $2, given_names = $3,
					first_given_name = $4, sex = $5, birth_date = $6, birth_place = $7, ins_key = $8, ins_type = $9,
					ins_start = $10, ins_end = $11, insi_code = $12, insi_message_id = $13, retrieved_by = $14,
					retrieved_at = $15, qualified_document = $16, qualified_by = $17, qualified_at = $18, updated_at = $15
				WHERE id = $19`,
				string(next.Status), r.BirthName, r.GivenNames, vigilance.FirstGiven(r.GivenNames), r.Sex, date(r.BirthDate),
				r.BirthPlace, r.INS.Key, r.INS.Type, date(r.INS.Start), date(r.INS.End), r.Code, r.MessageID, r.AccountID,
				unix(now), qualDoc, qualBy, qualAt, id)
			if err != nil {
				return constraintErr(err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM patient_identity_history WHERE identity_id = $1`, id); err != nil {
				return err
			}
		}
		for i, h := range r.History {
			if _, err := tx.ExecContext(ctx, `INSERT INTO patient_identity_history (identity_id, position, matricule, ins_key,
					oid, ins_type, ins_start, ins_end) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				id, i, h.Matricule, h.Key, h.OID, h.Type, date(h.Start), date(h.End)); err != nil {
				return err
			}
		}
		return auditTx(ctx, tx, r.AccountID, now, op, r.MessageID, r.Code)
	})
	if err != nil {
		return PatientIdentity{}, err
	}
	if refused != nil {
		return PatientIdentity{}, refused
	}
	return s.PatientIdentityByID(ctx, id)
}

// QualifyIdentity records that accountID checked the identity's traits
// against doc, a high-trust document, and makes it qualifiée; who, when
// and which document are kept. It refuses, with the vigilance errors, a
// document that is not high-trust, an identity not retrieved from INSi,
// one already qualified, and one marked douteuse or fictive. Every
// attempt, granted or refused, writes an audit row in the same
// transaction (outcome "QUAL <doc>" or "refused: …").
func (s *Store) QualifyIdentity(ctx context.Context, id int64, doc vigilance.Document, accountID int64) (PatientIdentity, error) {
	now := s.now()
	var refused error
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := s.identityWhere(ctx, tx, `id = $1`, id)
		if err != nil {
			return err
		}
		ident := auditIdentity(id)
		next, err := old.Vigilance().Qualify(doc)
		if err != nil {
			refused = err
			return auditTx(ctx, tx, accountID, now, AuditQualify, ident, "refused: "+refusal(err))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE patient_identities SET status = $1, qualified_document = $2,
				qualified_by = $3, qualified_at = $4, updated_at = $4 WHERE id = $5`,
			string(next.Status), string(doc), accountID, unix(now), id); err != nil {
			return constraintErr(err)
		}
		return auditTx(ctx, tx, accountID, now, AuditQualify, ident, string(next.Status)+" "+string(doc))
	})
	if err != nil {
		return PatientIdentity{}, err
	}
	if refused != nil {
		return PatientIdentity{}, refused
	}
	return s.PatientIdentityByID(ctx, id)
}

// MarkIdentity sets the identity's attributes; douteuse or fictive bring
// it back to provisoire and drop its qualification (vigilance.Mark). The
// change is audited in the same transaction.
func (s *Store) MarkIdentity(ctx context.Context, id int64, a vigilance.Attributes, accountID int64) (PatientIdentity, error) {
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := s.identityWhere(ctx, tx, `id = $1`, id)
		if err != nil {
			return err
		}
		next, err := old.Vigilance().Mark(a)
		if err != nil {
			return err
		}
		qualDoc, qualBy, qualAt := string(docOf(old)), accountOf(old), atOf(old)
		if next.Status != vigilance.Qualifiee {
			qualDoc, qualBy, qualAt = "", nil, 0
		}
		if _, err := tx.ExecContext(ctx, `UPDATE patient_identities SET status = $1, homonyme = $2, douteuse = $3,
				fictive = $4, qualified_document = $5, qualified_by = $6, qualified_at = $7, updated_at = $8 WHERE id = $9`,
			string(next.Status), a.Homonyme, a.Douteuse, a.Fictive, qualDoc, qualBy, qualAt, unix(now), id); err != nil {
			return constraintErr(err)
		}
		return auditTx(ctx, tx, accountID, now, AuditMark, auditIdentity(id), attributesOutcome(a))
	})
	if err != nil {
		return PatientIdentity{}, err
	}
	return s.PatientIdentityByID(ctx, id)
}

// SetUsedNames records the nom utilisé and prénom utilisé a user typed;
// empty strings clear them. They are never derived from the birth names.
func (s *Store) SetUsedNames(ctx context.Context, id int64, usedName, usedGivenName string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE patient_identities SET used_name = $1, used_given_name = $2, updated_at = $3
		WHERE id = $4`, strings.TrimSpace(usedName), strings.TrimSpace(usedGivenName), unix(s.now()), id)
	return affected(res, err)
}

func traitsChanged(p PatientIdentity, r INSiResult) bool {
	return p.BirthName != r.BirthName || p.GivenNames != r.GivenNames || p.Sex != r.Sex ||
		!p.BirthDate.Equal(fromDate(date(r.BirthDate))) || p.BirthPlace != r.BirthPlace
}

func docOf(p PatientIdentity) vigilance.Document {
	if p.Qualification == nil {
		return ""
	}
	return p.Qualification.Document
}

func accountOf(p PatientIdentity) any {
	if p.Qualification == nil || p.Qualification.AccountID == 0 {
		return nil
	}
	return p.Qualification.AccountID
}

func atOf(p PatientIdentity) int64 {
	if p.Qualification == nil {
		return 0
	}
	return unix(p.Qualification.At)
}
