package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/infopatient/infopatient/internal/app"
	"github.com/infopatient/infopatient/internal/config"
)

// check validates the configuration (loading it already did) and reaches
// the database and every configured authority, printing one line per
// check, the whole table even when some fail. It changes nothing: the
// database is not migrated, no demo data is seeded, no token requested.
func check(ctx context.Context, cfg *config.Config, args []string, io IO) error {
	if len(args) > 0 {
		return usageError("usage: infopatient check")
	}
	// The table says it all: the checker's own logs are not shown.
	c, err := app.NewChecker(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer c.Close()
	// In demo mode the authorities are the sandbox of a running portal; if
	// none listens at INFOPATIENT_ADDR, serve this one's sandbox there
	// meanwhile (the sandbox only: no portal on an unmigrated database).
	if sb := c.Sandbox(); sb != nil {
		if ln, err := net.Listen("tcp", cfg.Addr); err == nil {
			mux := http.NewServeMux()
			mux.Handle("/sandbox/", sb)
			srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
			go func() { _ = srv.Serve(ln) }()
			defer srv.Close()
		}
	}
	tw := tabwriter.NewWriter(io.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AUTHORITY\tCHECK\tRESULT\tDETAIL\tTARGET")
	failed := 0
	for _, ch := range c.Checks(ctx) {
		result := "ok"
		switch {
		case ch.Skipped:
			result = "skipped"
		case ch.Warning:
			result = "WARNING"
		case !ch.OK:
			result, failed = "FAILED", failed+1
		}
		// One line each, whatever an error message holds.
		detail := strings.Join(strings.Fields(ch.Detail), " ")
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", ch.Authority, ch.What, result, detail, ch.Target)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d check(s) failed", failed)
	}
	return nil
}
