package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/sandbox"
)

// sandboxCmd runs the three simulators alone, for a portal (or any other
// relying party) running elsewhere.
func sandboxCmd(ctx context.Context, cfg *config.Config, args []string, io IO) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(io.Err)
	addr := fs.String("addr", "127.0.0.1:9090", "listen address of the sandbox")
	portal := fs.String("portal", cfg.BaseURL, "public URL of the portal registered with the simulators")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError("usage: infopatient sandbox [-addr host:port] [-portal URL]")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String() + "/sandbox"
	sb, err := sandbox.New(sandbox.Config{
		BaseURL: base, PortalURL: *portal, Data: data.Files,
		KeyFile: filepath.Join(cfg.DataDir, "keys", "psc-sandbox.pem"),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, `InfoPatient sandbox on %s (portal registered: %s)

Pro Santé Connect  INFOPATIENT_PSC_ISSUER=%s
                   INFOPATIENT_PSC_CLIENT_ID=%s INFOPATIENT_PSC_CLIENT_SECRET=%s
                   test card code %s
HIN                INFOPATIENT_HIN_AUTHORIZE_URL=%s
                   INFOPATIENT_HIN_TOKEN_URL=%s
                   INFOPATIENT_HIN_MANUAL_URL=%s
                   INFOPATIENT_HIN_CLIENT_ID=%s INFOPATIENT_HIN_CLIENT_SECRET=%s
Covercard          INFOPATIENT_COVERCARD_URL=%s
                   INFOPATIENT_COVERCARD_CLIENT_ID=%s INFOPATIENT_COVERCARD_CLIENT_SECRET=%s
Stop with Ctrl-C.
`, base, *portal, sb.PSCIssuer(), sandbox.PSCClientID, sandbox.PSCClientSecret, "1234",
		sb.HINAuthorizeURL(), sb.HINTokenURL(), sb.HINManualURL(), sandbox.HINClientID, sandbox.HINClientSecret,
		sb.CovercardURL(), sandbox.CovercardClientID, sandbox.CovercardClientSecret)
	srv := &http.Server{Handler: sb, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
