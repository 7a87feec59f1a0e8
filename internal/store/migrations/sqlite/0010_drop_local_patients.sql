-- The local patients table of the first demo: French patients are now
-- read from ADRi (their rights) and INSi (their INS), and nothing reads
-- or writes it any more.
DROP TABLE IF EXISTS patients;
