package app

import (
	"maps"
	"testing"

	"github.com/infopatient/infopatient/internal/config"
)

// loadConfig reads vars through the real loader, over a data directory
// of the test unless vars name one (the base URL is then the default
// listen address's, http://127.0.0.1:8080).
func loadConfig(t *testing.T, vars map[string]string) *config.Config {
	t.Helper()
	all := map[string]string{"INFOPATIENT_DATA_DIR": t.TempDir()}
	maps.Copy(all, vars)
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := all[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
