package store

import (
	"context"
	"database/sql"

	"github.com/infopatient/infopatient/internal/vigilance"
)

const identityColumns = `id, status, homonyme, douteuse, fictive, birth_name, given_names, first_given_name, sex,
	birth_date, birth_place, used_name, used_given_name, ins_matricule, ins_key, ins_oid, ins_type, ins_start, ins_end,
	insi_code, insi_message_id, retrieved_by, retrieved_at, qualified_document, qualified_by, qualified_at, created_at, updated_at`

// PatientIdentityByID returns an identity with its INS history.
func (s *Store) PatientIdentityByID(ctx context.Context, id int64) (PatientIdentity, error) {
	return s.identityWhere(ctx, s.db, `id = $1`, id)
}

// PatientIdentityByINS returns the identity kept for a matricule and OID.
func (s *Store) PatientIdentityByINS(ctx context.Context, matricule, oid string) (PatientIdentity, error) {
	return s.identityWhere(ctx, s.db, `ins_matricule = $1 AND ins_oid = $2`, matricule, oid)
}

// identityWhere reads one identity and its history. In a transaction on
// PostgreSQL the row is locked (SQLite's transactions hold the write
// lock from BEGIN).
func (s *Store) identityWhere(ctx context.Context, q querier, where string, args ...any) (PatientIdentity, error) {
	query := `SELECT ` + identityColumns + ` FROM patient_identities WHERE ` + where
	if _, inTx := q.(*sql.Tx); inTx && s.dialect == Postgres {
		query += ` FOR UPDATE`
	}
	var p PatientIdentity
	var status, birth, insStart, insEnd, qualDoc string
	var retrievedBy, qualBy sql.NullInt64
	var retrievedAt, qualAt, created, updated int64
	err := q.QueryRowContext(ctx, query, args...).Scan(&p.ID, &status, &p.Attributes.Homonyme, &p.Attributes.Douteuse,
		&p.Attributes.Fictive, &p.BirthName, &p.GivenNames, &p.FirstGivenName, &p.Sex, &birth, &p.BirthPlace,
		&p.UsedName, &p.UsedGivenName, &p.INS.Matricule, &p.INS.Key, &p.INS.OID, &p.INS.Type, &insStart, &insEnd,
		&p.INSiCode, &p.INSiMessageID, &retrievedBy, &retrievedAt, &qualDoc, &qualBy, &qualAt, &created, &updated)
	if err != nil {
		return PatientIdentity{}, notFoundOr(err)
	}
	if p.Status, err = vigilance.ParseStatus(status); err != nil {
		return PatientIdentity{}, err
	}
	p.BirthDate, p.INS.Start, p.INS.End = fromDate(birth), fromDate(insStart), fromDate(insEnd)
	p.RetrievedBy, p.RetrievedAt = retrievedBy.Int64, fromUnix(retrievedAt)
	p.CreatedAt, p.UpdatedAt = fromUnix(created), fromUnix(updated)
	if qualDoc != "" {
		p.Qualification = &Qualification{Document: vigilance.Document(qualDoc), AccountID: qualBy.Int64, At: fromUnix(qualAt)}
	}
	rows, err := q.QueryContext(ctx, `SELECT matricule, ins_key, oid, ins_type, ins_start, ins_end
		FROM patient_identity_history WHERE identity_id = $1 ORDER BY position`, p.ID)
	if err != nil {
		return PatientIdentity{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var h INS
		var start, end string
		if err := rows.Scan(&h.Matricule, &h.Key, &h.OID, &h.Type, &start, &end); err != nil {
			return PatientIdentity{}, err
		}
		h.Start, h.End = fromDate(start), fromDate(end)
		p.History = append(p.History, h)
	}
	return p, rows.Err()
}
