package cli

import (
	"context"
	"fmt"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/store"
)

func migrate(ctx context.Context, cfg *config.Config, args []string, io IO) error {
	if len(args) > 0 {
		return usageError("usage: infopatient migrate")
	}
	st, err := store.Open(ctx, cfg.DSN())
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	cur, _, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "%d migration(s) applied; schema version %d (%s)\n", n, cur, st.Dialect())
	return nil
}

func printConfig(_ context.Context, cfg *config.Config, args []string, io IO) error {
	if len(args) > 0 {
		return usageError("usage: infopatient config")
	}
	for _, s := range cfg.Settings() {
		fmt.Fprintf(io.Out, "%-40s %-10s %s\n", s.Name, "("+s.Source+")", s.Masked())
	}
	fmt.Fprintf(io.Out, "%-40s %-10s %v\n", "demo mode", "(effective)", cfg.Demo)
	return nil
}
