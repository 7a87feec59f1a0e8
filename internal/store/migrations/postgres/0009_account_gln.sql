-- An account's GLN (Global Location Number, 13 digits), the Swiss
-- professional's number in HIN's directory: a HIN identity whose directory
-- profile carries it is linked to the account at its first sign-in, and
-- the linking page refuses a HIN identity whose GLN is another. '' for an
-- account without one; a GLN names one account at most.
ALTER TABLE accounts ADD COLUMN gln TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX accounts_gln ON accounts (gln) WHERE gln <> '';
