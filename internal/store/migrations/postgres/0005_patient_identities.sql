-- Patient identities the portal retrieved from INSi or validated, with
-- their identity-vigilance (RNIV) status and attributes. Strict traits
-- are kept as INSi returned them; used names only as a user typed them.
CREATE TABLE patient_identities (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status             TEXT NOT NULL CHECK (status IN ('PROV', 'RECUP', 'VALI', 'QUAL')),
    homonyme           BOOLEAN NOT NULL DEFAULT FALSE,
    douteuse           BOOLEAN NOT NULL DEFAULT FALSE,
    fictive            BOOLEAN NOT NULL DEFAULT FALSE,
    birth_name         TEXT NOT NULL,
    given_names        TEXT NOT NULL,           -- the list, space separated
    first_given_name   TEXT NOT NULL DEFAULT '',
    sex                TEXT NOT NULL,
    birth_date         TEXT NOT NULL,           -- YYYY-MM-DD
    birth_place        TEXT NOT NULL DEFAULT '', -- COG
    used_name          TEXT NOT NULL DEFAULT '',
    used_given_name    TEXT NOT NULL DEFAULT '',
    ins_matricule      TEXT NOT NULL DEFAULT '',
    ins_key            TEXT NOT NULL DEFAULT '',
    ins_oid            TEXT NOT NULL DEFAULT '',
    ins_type           TEXT NOT NULL DEFAULT '',
    ins_start          TEXT NOT NULL DEFAULT '',
    ins_end            TEXT NOT NULL DEFAULT '',
    insi_code          TEXT NOT NULL DEFAULT '',
    insi_message_id    TEXT NOT NULL DEFAULT '',
    retrieved_by       BIGINT REFERENCES accounts(id),
    retrieved_at       BIGINT NOT NULL DEFAULT 0,
    qualified_document TEXT NOT NULL DEFAULT '',
    qualified_by       BIGINT REFERENCES accounts(id),
    qualified_at       BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
-- One identity per INS; identities without one (provisoire) are many.
CREATE UNIQUE INDEX patient_identities_ins ON patient_identities(ins_matricule, ins_oid) WHERE ins_matricule <> '';

-- INSHISTO, kept as returned and in the order returned (EXI REC 08).
CREATE TABLE patient_identity_history (
    identity_id BIGINT NOT NULL REFERENCES patient_identities(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    matricule   TEXT NOT NULL,
    ins_key     TEXT NOT NULL DEFAULT '',
    oid         TEXT NOT NULL DEFAULT '',
    ins_type    TEXT NOT NULL DEFAULT '',
    ins_start   TEXT NOT NULL DEFAULT '',
    ins_end     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (identity_id, position)
);
