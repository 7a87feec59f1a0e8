// Package pscctx is a client of ANS's context-sharing API
// (prosanteconnect/psc-context-sharing-api): a professional's
// PSC-connected applications put the patient in hand there and read it
// back, with the professional's Pro Santé Connect access token as Bearer.
//
// It follows the API as its code behaves (reference authorities-today.md,
// December 2026 addendum): PUT {base}/share stores a context, GET
// {base}/share reads the caller's own (the API derives psId from the
// token), no token gives 403, an inactive token 401, a bag the schema
// refuses 500 with an empty body. Because the upstream service kept the
// last bag in a static field, a read may hand back another professional's
// context: Read refuses any context whose psId is not the one asked for.
package pscctx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Categories of failure; test them with errors.Is. No message carries a
// token or a bag.
var (
	// ErrNoToken: no access token was given, or the API answered 403 (its
	// answer to a request without a token).
	ErrNoToken = errors.New("pscctx: no access token")
	// ErrTokenInactive: the API found the token inactive or expired (401);
	// refresh it or sign in with Pro Santé Connect again.
	ErrTokenInactive = errors.New("pscctx: access token inactive or expired")
	// ErrSchemaRefused: the API refused the context (500 on PUT: unknown
	// schema or a bag its schema refuses; 400: malformed JSON).
	ErrSchemaRefused = errors.New("pscctx: context refused by the schema")
	// ErrUnavailable: the API could not be reached, timed out, redirected,
	// answered 5xx on a read, or answered something unreadable.
	ErrUnavailable = errors.New("pscctx: context-sharing API unavailable")
	// ErrNoContext: nothing is shared for this professional (empty answer,
	// 404, or a context that expired).
	ErrNoContext = errors.New("pscctx: no shared context")
	// ErrForeignContext: the API answered another professional's context;
	// it is ignored (the upstream cross-professional defect).
	ErrForeignContext = errors.New("pscctx: context belongs to another professional")
)

// SchemaPatientInfo is the schema of a shared patient.
const SchemaPatientInfo = "patient-info"

// maxBody bounds what is read from the API.
const maxBody = 256 << 10

// Context is what the API stores: whose it is, which schema its bag
// follows, and the bag.
type Context struct {
	PsID     string          `json:"psId"`
	SchemaID string          `json:"schemaId"`
	Bag      json.RawMessage `json:"bag"`
}

// Client talks to one context-sharing API.
type Client struct {
	base *url.URL
	http *http.Client
}

// DefaultTimeout bounds each call when New is given no HTTP client.
const DefaultTimeout = 10 * time.Second

// New returns a client of the API at base (e.g.
// https://…/psc-context-sharing/api; "/share" is appended). hc may be nil;
// whatever is given, the client never follows redirects: a Bearer token
// must not travel to another address.
func New(base string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("pscctx: base URL %q is not an absolute http(s) URL", base)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("pscctx: base URL %q must carry no query or fragment", base)
	}
	c := &http.Client{Timeout: DefaultTimeout}
	if hc != nil {
		cp := *hc
		c = &cp
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{base: u, http: c}, nil
}

// ShareURL is the API's /share endpoint.
func (c *Client) ShareURL() string { return c.base.String() + "/share" }

// Share stores cx for the professional the token belongs to, and returns
// the context the API stored.
func (c *Client) Share(ctx context.Context, accessToken string, cx Context) (Context, error) {
	if accessToken == "" {
		return Context{}, &Error{Op: OpShare, kind: ErrNoToken}
	}
	if cx.PsID == "" || cx.SchemaID == "" || len(cx.Bag) == 0 {
		return Context{}, &Error{Op: OpShare, kind: ErrSchemaRefused, detail: "psId, schemaId and bag are required"}
	}
	body, err := json.Marshal(cx)
	if err != nil {
		return Context{}, &Error{Op: OpShare, kind: ErrSchemaRefused, detail: "bag is not JSON"}
	}
	status, data, err := c.do(ctx, http.MethodPut, accessToken, body)
	if err != nil {
		return Context{}, &Error{Op: OpShare, kind: ErrUnavailable, cause: err}
	}
	if kind := statusKind(OpShare, status); kind != nil {
		return Context{}, &Error{Op: OpShare, StatusCode: status, kind: kind}
	}
	got, err := ParseContext(data)
	if err != nil {
		return Context{}, &Error{Op: OpShare, StatusCode: status, kind: ErrUnavailable, cause: err}
	}
	if got.PsID != cx.PsID {
		return Context{}, &Error{Op: OpShare, StatusCode: status, kind: ErrForeignContext}
	}
	return got, nil
}

// Read returns the context shared by the professional wantPsID (the
// signed-in one, whose token it is). A context of anyone else is refused
// with ErrForeignContext.
func (c *Client) Read(ctx context.Context, accessToken, wantPsID string) (Context, error) {
	if accessToken == "" {
		return Context{}, &Error{Op: OpRead, kind: ErrNoToken}
	}
	if wantPsID == "" {
		return Context{}, &Error{Op: OpRead, kind: ErrForeignContext, detail: "no professional to read for"}
	}
	status, data, err := c.do(ctx, http.MethodGet, accessToken, nil)
	if err != nil {
		return Context{}, &Error{Op: OpRead, kind: ErrUnavailable, cause: err}
	}
	if kind := statusKind(OpRead, status); kind != nil {
		return Context{}, &Error{Op: OpRead, StatusCode: status, kind: kind}
	}
	if len(bytes.TrimSpace(data)) == 0 || string(bytes.TrimSpace(data)) == "null" {
		return Context{}, &Error{Op: OpRead, StatusCode: status, kind: ErrNoContext}
	}
	got, err := ParseContext(data)
	if err != nil {
		return Context{}, &Error{Op: OpRead, StatusCode: status, kind: ErrUnavailable, cause: err}
	}
	if got.PsID != wantPsID {
		return Context{}, &Error{Op: OpRead, StatusCode: status, kind: ErrForeignContext}
	}
	return got, nil
}

// ReadPatient reads the professional's context and decodes it as a
// patient-info bag; another schema is ErrNoContext.
func (c *Client) ReadPatient(ctx context.Context, accessToken, wantPsID string) (PatientInfo, error) {
	cx, err := c.Read(ctx, accessToken, wantPsID)
	if err != nil {
		return PatientInfo{}, err
	}
	if cx.SchemaID != SchemaPatientInfo {
		return PatientInfo{}, &Error{Op: OpRead, StatusCode: http.StatusOK, kind: ErrNoContext, detail: "context is not a patient-info"}
	}
	p, err := ParsePatientInfo(cx.Bag)
	if err != nil {
		return PatientInfo{}, &Error{Op: OpRead, StatusCode: http.StatusOK, kind: ErrUnavailable, cause: err}
	}
	return p, nil
}

// SharePatient shares p under schema patient-info for professional psID.
func (c *Client) SharePatient(ctx context.Context, accessToken, psID string, p PatientInfo) (Context, error) {
	bag, err := p.Bag()
	if err != nil {
		return Context{}, &Error{Op: OpShare, kind: ErrSchemaRefused, cause: err}
	}
	return c.Share(ctx, accessToken, Context{PsID: psID, SchemaID: SchemaPatientInfo, Bag: bag})
}

func (c *Client) do(ctx context.Context, method, token string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.ShareURL(), rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, scrub(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return 0, nil, scrub(err)
	}
	if len(data) > maxBody {
		return 0, nil, errors.New("answer too large")
	}
	return resp.StatusCode, data, nil
}

// scrub drops the URL from a transport error (it is the configured base,
// harmless, but keeps messages short and stable).
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// statusKind maps an answer's status to a category, nil for 200.
func statusKind(op Op, status int) error {
	switch {
	case status == http.StatusOK:
		return nil
	case status == http.StatusForbidden:
		return ErrNoToken
	case status == http.StatusUnauthorized:
		return ErrTokenInactive
	case status == http.StatusNotFound && op == OpRead:
		return ErrNoContext
	case status == http.StatusBadRequest:
		return ErrSchemaRefused
	case status == http.StatusInternalServerError && op == OpShare:
		// The API answers 500 with an empty body when the schema refuses
		// the bag; on a write that is what 500 means.
		return ErrSchemaRefused
	}
	return ErrUnavailable
}

// ParseContext decodes the API's JSON answer: one object with psId,
// schemaId and an object bag. Unknown fields are tolerated (the API may
// add some); a missing psId or schemaId, or a bag that is not an object,
// is an error.
func ParseContext(data []byte) (Context, error) {
	var cx Context
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&cx); err != nil {
		return Context{}, errors.New("answer is not a context object")
	}
	if dec.More() {
		return Context{}, errors.New("answer carries trailing data")
	}
	if _, err := dec.Token(); err != io.EOF {
		return Context{}, errors.New("answer carries trailing data")
	}
	if cx.PsID == "" || cx.SchemaID == "" {
		return Context{}, errors.New("context lacks psId or schemaId")
	}
	if b := bytes.TrimSpace(cx.Bag); len(b) == 0 || b[0] != '{' {
		return Context{}, errors.New("context bag is not an object")
	}
	return cx, nil
}
