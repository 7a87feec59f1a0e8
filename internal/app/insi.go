package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/insi"
	"github.com/infopatient/infopatient/internal/sandbox"
)

// newINSi is the INSi client as the plan says: the configured téléservice,
// the sandbox's in demo mode (mtls mode, its IDAM, the certificate name
// announced over loopback), or nil when off. probe (a check) creates no
// file.
func newINSi(cfg *config.Config, plan config.Reach, sb *sandbox.Sandbox, base *http.Client, now func() time.Time, probe bool) (*insi.Client, error) {
	c := insi.Config{
		Auth: insi.AuthMTLS, SoftwareName: cfg.INSi.SoftwareName, SoftwareVersion: cfg.INSi.SoftwareVersion,
		Timeout: cfg.HTTPTimeout, HTTPClient: base, Now: now,
	}
	switch plan.Mode {
	case config.Configured:
		c.URL, c.Auth, c.IDAM = cfg.INSi.URL, insi.AuthMode(cfg.INSi.Auth), cfg.INSi.IDAM
		c.Certificate, c.RootCAs = cfg.INSi.Certificate, cfg.INSi.RootCAs
		if c.Certificate == nil {
			c.SandboxCN = sandbox.INSiSandboxCN // plain-HTTP loopback only: New refuses it elsewhere
		}
	case config.Simulated:
		c.URL, c.IDAM, c.SandboxCN = sb.INSiURL(), sandbox.INSiIDAM, sandbox.INSiSandboxCN
	default:
		return nil, nil
	}
	id, err := insiInstance(cfg.DataDir, probe)
	if err != nil {
		return nil, err
	}
	c.InstanceID = id
	return insi.New(c)
}

// insiInstance is the ContexteLPS Instance of this installation: a UUID
// kept under the data directory across runs, created once. A check uses
// the kept one, or one for this run.
func insiInstance(dataDir string, probe bool) (string, error) {
	path := filepath.Join(dataDir, "keys", "insi-instance")
	b, err := os.ReadFile(path)
	switch {
	case err == nil && len(strings.TrimSpace(string(b))) == 36:
		return strings.TrimSpace(string(b)), nil
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("insi instance id: %w", err)
	}
	id := uuid()
	if probe {
		return id, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("insi instance id: %w", err)
	}
	if err := os.WriteFile(path, []byte(id+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("insi instance id: %w", err)
	}
	return id, nil
}

func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// insiSearcher is the INSi client for web, a nil interface when off.
func (a *authorities) insiSearcher() insi.Searcher {
	if a.insi == nil {
		return nil
	}
	return a.insi
}

// checkPersona is the harmless search `infopatient check` makes: ADRUN
// ZOE, the CNAM's public test persona (the one padoa's certificate check
// uses). Any answer, 00, 01 or 02, proves the whole chain: TLS and its
// certificate, the IDAM, the SOAP contract.
var checkPersona = insi.Traits{BirthName: "ADRUN", FirstNames: []string{"ZOE"}, Sex: "F", BirthDate: "1975-12-31"}

// insiCheck makes that search. In psc mode a call needs a signed-in
// professional: nothing is sent.
func insiCheck(ctx context.Context, c *insi.Client) Check {
	ch := Check{Authority: "INSi", What: "rechercherInsAvecTraitsIdentite (ADRUN ZOE)", Target: c.URL()}
	if c.Mode() == insi.AuthPSC {
		ch.Skipped, ch.Detail = true, "psc mode: INSi is called on behalf of a signed-in professional only"
		return ch
	}
	res, err := c.SearchTraits(ctx, checkPersona, nil)
	if err != nil {
		ch.Detail = err.Error()
		return ch
	}
	ch.OK, ch.Detail = true, "CR "+string(res.Code)+" ("+res.Label+")"
	return ch
}
