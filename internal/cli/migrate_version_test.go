package cli

import (
	"regexp"
	"strconv"
)

var migratedLine = regexp.MustCompile(`\d+ migration\(s\) applied; schema version (\d+) `)

// migratedTo reports whether migrate's output says the schema reached at
// least version min.
func migratedTo(out string, min int) bool {
	m := migratedLine.FindStringSubmatch(out)
	if m == nil {
		return false
	}
	v, err := strconv.Atoi(m[1])
	return err == nil && v >= min
}
