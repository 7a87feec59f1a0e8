package store

// MigrationCount is how many migrations the store knows. Until every
// branch's migration is merged the versions leave gaps, so the count, not
// the latest version, is what a fresh Migrate applies.
func MigrationCount(s *Store) int {
	ms, err := s.migrations()
	if err != nil {
		return -1
	}
	return len(ms)
}
