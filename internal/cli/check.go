package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"text/tabwriter"

	"github.com/infopatient/infopatient/internal/app"
	"github.com/infopatient/infopatient/internal/config"
)

// check validates the configuration (loading it already did) and reaches
// every configured authority, printing one line per check.
func check(ctx context.Context, cfg *config.Config, args []string, io IO) error {
	if len(args) > 0 {
		return usageError("usage: infopatient check")
	}
	a, err := app.New(ctx, cfg, app.NewLogger(cfg, discard{}), app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	// In demo mode the authorities are the sandbox of a running portal; if
	// none listens at INFOPATIENT_ADDR, serve this one there meanwhile.
	if cfg.Demo {
		if ln, err := net.Listen("tcp", cfg.Addr); err == nil {
			sctx, stop := context.WithCancel(ctx)
			defer stop()
			go func() { _ = a.ListenAndServe(sctx, ln, nil) }()
		}
	}
	tw := tabwriter.NewWriter(io.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AUTHORITY\tCHECK\tRESULT\tDETAIL\tTARGET")
	failed := 0
	for _, c := range a.Checks(ctx) {
		result := "ok"
		if !c.OK {
			result, failed = "FAILED", failed+1
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Authority, c.What, result, c.Detail, c.Target)
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
