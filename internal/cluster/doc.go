// Package cluster proves that several InfoPatient instances sharing one
// PostgreSQL database behave as one portal: its tests start two real
// application servers on one schema, behind a small load balancer, with one
// set of Pro Santé Connect, HIN and Covercard simulators, and check every
// piece of state that must not live in one process's memory: pending
// sign-ins, sessions, HIN tokens and their refresh, the practice's
// client-credentials token, back-channel logouts and rate-limit counters.
//
// The tests run when TEST_DATABASE_URL names a PostgreSQL server (as CI
// sets it) and are skipped otherwise: SQLite is one process's database.
package cluster
