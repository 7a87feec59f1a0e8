-- What a lookup's page showed, for "Historique": the patient's name as
-- shown, the outcome as the page told it (a valid card whose benefits are
-- suspended is "suspended", not "valid"), and the lookup a new one
-- reopened. Rows written before keep '' and NULL: the list then falls
-- back to the outcome column, as before.
ALTER TABLE lookups ADD COLUMN patient_name TEXT NOT NULL DEFAULT '';
ALTER TABLE lookups ADD COLUMN shown TEXT NOT NULL DEFAULT '';
ALTER TABLE lookups ADD COLUMN reopened_from BIGINT;
