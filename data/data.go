// Package data ships InfoPatient's demo data: the demo accounts and
// patients, and the sandbox's test identities and cards. The running
// portal's own files (database, keys) are written beside these, under
// INFOPATIENT_DATA_DIR, and never committed.
package data

import "embed"

// Files holds demo/*.json and sandbox/*.json.
//
//go:embed demo/*.json sandbox/*.json
var Files embed.FS

// Communes is INSEE's commune list (COG) for the birthplace picker:
// code, name, département and kind, tab-separated (cog/README.md gives
// its source and licence). A string, so that it stays in the
// executable's read-only data and the list can index into it.
//
//go:embed cog/communes.tsv
var Communes string
