package cli

import (
	"context"
	"errors"
	"fmt"
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
	c, err := app.NewChecker(ctx, cfg, app.NewLogger(cfg, discard{}))
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
	for _, c := range c.Checks(ctx) {
		result := "ok"
		switch {
		case c.Skipped:
			result = "skipped"
		case !c.OK:
			result, failed = "FAILED", failed+1
		}
		// One line each, whatever an error message holds.
		detail := strings.Join(strings.Fields(c.Detail), " ")
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Authority, c.What, result, detail, c.Target)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		return errors.New(fmt.Sprint(failed, " check(s) failed"))
	}
	return nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
