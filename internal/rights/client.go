// Package rights asks an ADRi-shaped service (Acquisition des DRoits
// intégrée, CNAM) for a French beneficiary's rights — régime, caisse,
// AMO periods, exonérations, C2S / AME / mutuelle, médecin traitant — and
// models the answer, as covercard does for Swiss cards.
//
// The request is the ADRi envelope as the public Pyxvital templates give
// it. The answer's schema is not public: response.go defines InfoPatient's
// provisional format from the known field names (a GUESS, documented
// there). Like covercard, it imports no other package of InfoPatient but
// nir.
package rights

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
)

// AuthMode is how the service knows who calls.
type AuthMode string

// Authentication modes (reference §5.3).
const (
	// AuthMTLS: a structure certificate on the TLS connection; no user
	// token.
	AuthMTLS AuthMode = "mtls"
	// AuthPSC: the signed-in professional's identity in the envelope and
	// the PSC access token as bearer (GUESS, see Professional).
	AuthPSC AuthMode = "psc"
)

// Config describes the service; URL and IDAM are required.
type Config struct {
	// URL is the endpoint: https, or http on a loopback address only.
	URL  string
	Auth AuthMode // AuthMTLS when empty
	// Certificate is the client certificate of mtls mode; RootCAs the
	// chain to trust (the system's when nil).
	Certificate *tls.Certificate
	RootCAs     *x509.CertPool
	// IDAM is the CNDA authorisation number of the software.
	IDAM string
	// SoftwareName and SoftwareVersion name the LPS ("InfoPatient").
	SoftwareName, SoftwareVersion string
	// Instance identifies this installation (a UUID); random when empty.
	Instance string
	// Emitter is ContexteBAM/ContexteLPS Emetteur in mtls mode; the
	// professional's idNat is used in psc mode.
	Emitter string
	// Timeout bounds each exchange, body included; 10 s by default.
	Timeout time.Duration
	// MaxResponseBytes bounds the answer; 1 MiB by default.
	MaxResponseBytes int64
	// Now gives the time of the envelope and the default reference date.
	Now func() time.Time
	// NewMessageID returns a "uuid:…" message id; random by default.
	NewMessageID func() string
}

// Client calls the service. It is safe for concurrent use.
type Client struct {
	cfg      Config
	endpoint string
	http     *http.Client
}

// New checks cfg and returns a client. base carries the transport
// (proxy, timeouts) and may be nil; it is not modified. The client never
// follows redirects: an answer elsewhere than the configured endpoint is
// not the service's.
func New(cfg Config, base *http.Client) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, errors.New("rights: the URL is not absolute")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback(u.Hostname()):
	default:
		return nil, errors.New("rights: the URL must be https (http on loopback only)")
	}
	if cfg.Auth == "" {
		cfg.Auth = AuthMTLS
	}
	if cfg.Auth != AuthMTLS && cfg.Auth != AuthPSC {
		return nil, fmt.Errorf("rights: auth mode %q: want mtls or psc", cfg.Auth)
	}
	if strings.TrimSpace(cfg.IDAM) == "" {
		return nil, errors.New("rights: the IDAM (CNDA authorisation number) is required")
	}
	if cfg.SoftwareName == "" {
		cfg.SoftwareName = "InfoPatient"
	}
	if cfg.SoftwareVersion == "" {
		cfg.SoftwareVersion = "dev"
	}
	if cfg.Instance == "" {
		cfg.Instance = uuid.NewString()
	}
	if cfg.Emitter == "" {
		cfg.Emitter = cfg.SoftwareName
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = 1 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewMessageID == nil {
		cfg.NewMessageID = func() string { return "uuid:" + uuid.NewString() }
	}
	hc := &http.Client{}
	if base != nil {
		*hc = *base
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if cfg.Certificate != nil || cfg.RootCAs != nil {
		t, ok := hc.Transport.(*http.Transport)
		if !ok || t == nil {
			t = http.DefaultTransport.(*http.Transport)
		}
		t = t.Clone()
		tc := &tls.Config{MinVersion: tls.VersionTLS12}
		if t.TLSClientConfig != nil {
			tc = t.TLSClientConfig.Clone()
		}
		if cfg.Certificate != nil {
			tc.Certificates = []tls.Certificate{*cfg.Certificate}
		}
		if cfg.RootCAs != nil {
			tc.RootCAs = cfg.RootCAs
		}
		t.TLSClientConfig = tc
		hc.Transport = t
	}
	return &Client{cfg: cfg, endpoint: u.String(), http: hc}, nil
}

// URL is the configured endpoint.
func (c *Client) URL() string { return c.endpoint }

// Auth is the authentication mode: in psc mode each request needs the
// signed-in professional.
func (c *Client) Auth() AuthMode { return c.cfg.Auth }

// Acquire asks the rights of req's beneficiary. The answer must be about
// the date of birth and rank asked, else ErrMalformed: showing a
// stranger's rights would be worse than showing none.
func (c *Client) Acquire(ctx context.Context, req Request) (*Rights, error) {
	if err := req.Check(); err != nil {
		return nil, err
	}
	if c.cfg.Auth == AuthPSC && (req.Professional == nil || req.Professional.IDNat == "") {
		return nil, fmt.Errorf("%w: psc mode needs the signed-in professional", ErrInvalidRequest)
	}
	now := c.cfg.Now()
	if req.ReferenceDate.IsZero() {
		req.ReferenceDate = now
	}
	msgID := req.MessageID
	if msgID == "" {
		msgID = c.cfg.NewMessageID()
	}
	env := envelope{
		messageID: msgID, instance: c.cfg.Instance, emitter: c.cfg.Emitter,
		idam: c.cfg.IDAM, softwareName: c.cfg.SoftwareName, version: c.cfg.SoftwareVersion,
		at: now, psc: c.cfg.Auth == AuthPSC,
	}
	if env.psc {
		env.emitter = req.Professional.IDNat
	}
	if !strings.HasPrefix(env.messageID, "uuid:") {
		env.messageID = "uuid:" + env.messageID
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(env.build(req)))
	if err != nil {
		return nil, fmt.Errorf("%w: building the request", ErrUnavailable)
	}
	hr.Header.Set("Content-Type", SOAPMediaType+`; charset=utf-8; action="`+Action+`"`)
	hr.Header.Set("Accept", SOAPMediaType+", application/xml, text/xml")
	if env.psc && req.Professional.AccessToken != "" {
		hr.Header.Set("Authorization", "Bearer "+req.Professional.AccessToken)
	}
	resp, err := c.http.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, withoutURL(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the answer: %w", ErrUnavailable, withoutURL(err))
	}
	if int64(len(body)) > c.cfg.MaxResponseBytes {
		return nil, fmt.Errorf("%w: answer larger than %d bytes", ErrMalformed, c.cfg.MaxResponseBytes)
	}
	switch {
	case resp.StatusCode == http.StatusOK:
	case resp.StatusCode == http.StatusInternalServerError && soapType(resp.Header.Get("Content-Type")):
		// SOAP 1.2 faults come with a 500: decode them for their code.
		_, err := Decode(bytes.NewReader(body))
		var fe *FaultError
		if errors.As(err, &fe) {
			return nil, fe
		}
		return nil, &StatusError{StatusCode: resp.StatusCode, Err: ErrUnavailable}
	default:
		return nil, &StatusError{StatusCode: resp.StatusCode, Err: ErrUnavailable}
	}
	if !soapType(resp.Header.Get("Content-Type")) {
		return nil, fmt.Errorf("%w: content type is not XML", ErrMalformed)
	}
	r, err := Decode(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if !sameDay(r.Beneficiary.BirthDate, req.BirthDate) || r.Beneficiary.Rank != req.Rank {
		return nil, fmt.Errorf("%w: the answer is about another beneficiary", ErrMalformed)
	}
	r.MessageID = env.messageID
	return r, nil
}

// soapType accepts SOAP 1.2's media type and plain XML ones.
func soapType(ct string) bool {
	mt, _, _ := strings.Cut(strings.ToLower(ct), ";")
	switch strings.TrimSpace(mt) {
	case SOAPMediaType, "application/xml", "text/xml":
		return true
	}
	return false
}

func sameDay(a, b time.Time) bool { return day(a).Equal(day(b)) }

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// withoutURL drops the request URL from a transport error.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
