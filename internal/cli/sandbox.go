package cli

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/httpserve"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
)

// sandboxCmd runs the three simulators alone, for a portal (or any other
// relying party) running elsewhere.
func sandboxCmd(ctx context.Context, cfg *config.Config, args []string, io IO) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(io.Err)
	addr := fs.String("addr", "127.0.0.1:9090", "listen address of the sandbox")
	baseURL := fs.String("base-url", "", "public URL of the sandbox, under which the simulators answer (issuer and endpoints are built on it); default http://<listen address>/sandbox, 127.0.0.1 for an unspecified host")
	portal := fs.String("portal", cfg.BaseURL, "public URL of the portal registered with the simulators")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError("usage: infopatient sandbox [-addr host:port] [-base-url URL] [-portal URL]")
	}
	if *baseURL != "" {
		if u, err := url.Parse(*baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return usageError("-base-url %q: want an absolute http(s) URL without query, e.g. https://sandbox.example/sandbox", *baseURL)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	base := *baseURL
	if base == "" {
		base = defaultSandboxURL(ln.Addr())
	}
	sb, err := sandbox.New(sandbox.Config{
		BaseURL: base, PortalURL: *portal, Data: data.Files,
		KeyFile: sandbox.KeyFile(cfg.DataDir),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, `InfoPatient sandbox on %s, listening on %s (portal registered: %s)
Index, test identities and cards: %s

Pro Santé Connect  INFOPATIENT_PSC_ISSUER=%s
                   INFOPATIENT_PSC_CLIENT_ID=%s INFOPATIENT_PSC_CLIENT_SECRET=%s
                   test card code %s; live sessions and their logout: %s
                   INFOPATIENT_PSC_CONTEXT_URL=%s
HIN                INFOPATIENT_HIN_AUTHORIZE_URL=%s
                   INFOPATIENT_HIN_TOKEN_URL=%s
                   INFOPATIENT_HIN_MANUAL_URL=%s
                   INFOPATIENT_HIN_CLIENT_ID=%s INFOPATIENT_HIN_CLIENT_SECRET=%s
                   INFOPATIENT_HIN_SDS_URL=%s INFOPATIENT_HIN_SDS_TOKEN_GROUP=%s
Covercard          INFOPATIENT_COVERCARD_URL=%s
                   INFOPATIENT_COVERCARD_CLIENT_ID=%s INFOPATIENT_COVERCARD_CLIENT_SECRET=%s
ADRi (rights)      INFOPATIENT_ADRI_URL=%s INFOPATIENT_ADRI_IDAM=%s
INSi               INFOPATIENT_INSI_URL=%s
                   INFOPATIENT_INSI_AUTH=mtls INFOPATIENT_INSI_IDAM=%s (certificate name %s sent in a test header over loopback HTTP)
Stop with Ctrl-C.
`, base, ln.Addr(), *portal, sb.URL(), sb.PSCIssuer(), sandbox.PSCClientID, sandbox.PSCClientSecret, "1234", sb.PSCSessionsURL(), sb.PSCContextURL(),
		sb.HINAuthorizeURL(), sb.HINTokenURL(), sb.HINManualURL(), sandbox.HINClientID, sandbox.HINClientSecret,
		sb.HINSDSURL(), hinsim.SDSTokenGroup,
		sb.CovercardURL(), sandbox.CovercardClientID, sandbox.CovercardClientSecret,
		sb.ADRiURL(), sandbox.ADRiIDAM,
		sb.INSiURL(), sandbox.INSiIDAM, sandbox.INSiSandboxCN)
	srv := &http.Server{Handler: sb, ReadHeaderTimeout: 10 * time.Second}
	return httpserve.Until(ctx, srv, ln, 5*time.Second)
}

// defaultSandboxURL is the sandbox's URL when -base-url is not given: the
// listen address, with 127.0.0.1 for an unspecified host (0.0.0.0, ::),
// which is no address a browser or a portal can reach.
func defaultSandboxURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/sandbox"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/sandbox"
}
