// Package insi asks the CNAM's INSi téléservice for a patient's INS
// (Identité Nationale de Santé): the matricule, the OID of the authority
// that assigned it, and the five INS traits. It speaks the public SOAP 1.2
// contract (WSDL DESIR_ICIR_EXP 1.5.0): rechercherInsAvecTraitsIdentite
// and rechercherInsAvecCarteVitale, with the SIRAM contexts, WS-Addressing
// and, in psc mode, an unsigned SAML assertion of the professional.
//
// Traits are checked against INSi's lexical rules before any call; an
// answer is checked too (matricule keys, OIDs). FindByTraits runs the
// first-name strategy over any Searcher.
//
// Like covercard, it imports no other package of InfoPatient.
package insi

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/google/uuid"
)

// Config describes the INSi endpoint and how InfoPatient calls it. The
// portal's configuration loader fills it (INFOPATIENT_INSI_*).
type Config struct {
	// URL is the endpoint, e.g. https://qualiflps-services-ps-tlsm.ameli.fr/lps.
	// It must be https, or http on a loopback address (the sandbox).
	URL string
	// Auth is AuthMTLS or AuthPSC.
	Auth AuthMode
	// Certificate is the structure certificate (LoadCertificate), required
	// in mtls mode over https; it may also be shown in psc mode.
	Certificate *tls.Certificate
	// SandboxCN is, in mtls mode over plain-HTTP loopback only, the
	// certificate name announced in SandboxCNHeader when no Certificate is
	// given; the Certificate's CN otherwise.
	SandboxCN string
	// RootCAs trusts INSi's server chain (IGC-Santé); system roots when nil.
	RootCAs *x509.CertPool
	// IDAM is the CNDA authorisation number of the software; required.
	IDAM string
	// SoftwareName and SoftwareVersion fill ContexteLPS (Nom is
	// urn:lps:{name}:{version}); "InfoPatient" and "dev" by default.
	SoftwareName, SoftwareVersion string
	// InstanceID identifies this installation (a UUID kept across runs);
	// required.
	InstanceID string
	// Timeout bounds each exchange; 10 s by default.
	Timeout time.Duration
	// MaxResponseBytes bounds an answer; 256 KiB by default.
	MaxResponseBytes int64
	// HTTPClient carries the transport (proxy, dialer); http.DefaultClient's
	// settings when nil. It is not modified: the client makes its own copy
	// that never follows redirects and shows Certificate.
	HTTPClient *http.Client
	// Tokens presents the PSC access token in psc mode; BearerPresenter
	// when nil.
	Tokens TokenPresenter
	// Now and NewID are for tests: the clock and the id generator.
	Now   func() time.Time
	NewID func() string
}

// Client calls INSi. It is safe for concurrent use.
type Client struct {
	cfg      Config
	endpoint string
	loopback bool // plain HTTP on a loopback address
	cn       string
	http     *http.Client
}

// New checks cfg and returns a client; configuration errors wrap ErrConfig.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("%w: INSi URL is not an absolute URL", ErrConfig)
	}
	c := &Client{endpoint: u.String()}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("%w: INSi URL must be https outside loopback", ErrConfig)
		}
		c.loopback = true
	default:
		return nil, fmt.Errorf("%w: INSi URL scheme %q", ErrConfig, u.Scheme)
	}
	switch cfg.Auth {
	case AuthMTLS:
		switch {
		case cfg.Certificate != nil:
			if cfg.Certificate.Leaf == nil {
				return nil, fmt.Errorf("%w: load the certificate with LoadCertificate", ErrConfig)
			}
			c.cn = cfg.Certificate.Leaf.Subject.CommonName
		case c.loopback && cfg.SandboxCN != "":
			c.cn = cfg.SandboxCN
		default:
			return nil, fmt.Errorf("%w: mtls mode needs a client certificate", ErrConfig)
		}
	case AuthPSC:
		if cfg.Tokens == nil {
			cfg.Tokens = BearerPresenter{}
		}
	default:
		return nil, fmt.Errorf("%w: INSi auth mode %q (mtls or psc)", ErrConfig, cfg.Auth)
	}
	if cfg.IDAM == "" || cfg.InstanceID == "" {
		return nil, fmt.Errorf("%w: IDAM and instance id are required", ErrConfig)
	}
	if cfg.SoftwareName == "" {
		cfg.SoftwareName = "InfoPatient"
	}
	if cfg.SoftwareVersion == "" {
		cfg.SoftwareVersion = "dev"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = 256 << 10
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = uuid.NewString
	}
	if c.http, err = httpClient(cfg); err != nil {
		return nil, err
	}
	c.cfg = cfg
	return c, nil
}

// httpClient copies the base client with no redirects and, when there is
// a certificate or CA pool, a transport that uses them.
func httpClient(cfg Config) (*http.Client, error) {
	hc := http.Client{}
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return ErrRedirect }
	if cfg.Certificate == nil && cfg.RootCAs == nil {
		return &hc, nil
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	t, ok := base.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("%w: a client certificate needs an *http.Transport", ErrConfig)
	}
	t = t.Clone()
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{}
	}
	t.TLSClientConfig.MinVersion = tls.VersionTLS12
	if cfg.Certificate != nil {
		t.TLSClientConfig.Certificates = []tls.Certificate{*cfg.Certificate}
	}
	if cfg.RootCAs != nil {
		t.TLSClientConfig.RootCAs = cfg.RootCAs
	}
	hc.Transport = t
	return &hc, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// URL is the endpoint.
func (c *Client) URL() string { return c.endpoint }

// Mode is the authentication mode.
func (c *Client) Mode() AuthMode { return c.cfg.Auth }
