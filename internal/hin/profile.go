package hin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// HIN's directory (SDS): an application learns the signed-in
// professional's name, GLN and verification level with a token of token
// group hin_sds (reference authorities-today.md §2, after AmiKo's
// HINClient.cs and SDSProfileResponse.cs).
const (
	DefaultSDSURL = "https://oauth2.sds.hin.ch"
	// SDSTokenGroup is the token group of the directory.
	SDSTokenGroup = "hin_sds"
	// SelfPath is the professional's own profile, under the SDS URL.
	SelfPath = "/api/public/v1/self/"
)

// Categories of a failed profile read; test them with errors.Is. No
// message carries the token.
var (
	// ErrProfileToken: SDS refused the token (401: invalid or expired;
	// 400: none sent). Refresh it or sign in with HIN again.
	ErrProfileToken = errors.New("hin: directory refused the access token")
	// ErrProfileForbidden: the HIN identity or the token's group may not
	// read the directory (403).
	ErrProfileForbidden = errors.New("hin: directory access not permitted")
	// ErrProfileUnavailable: SDS could not be reached, timed out,
	// redirected, answered 5xx or anything else, or an unreadable profile.
	ErrProfileUnavailable = errors.New("hin: directory unavailable")
)

// ProfileError describes a failed profile read for logs.
type ProfileError struct {
	StatusCode int // 0 when no answer came
	kind       error
	cause      error
}

func (e *ProfileError) Error() string {
	s := e.kind.Error() + " (self"
	if e.StatusCode != 0 {
		s += ": HTTP " + strconv.Itoa(e.StatusCode)
	}
	s += ")"
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap yields the category and the cause.
func (e *ProfileError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

// Profile is a professional's entry in HIN's directory.
type Profile struct {
	LoginName   string // the HIN login, as hin_id
	Email       string
	FirstName   string
	MiddleName  string
	LastName    string
	Gender      string // "M" or "F" as AmiKo reads it
	DateOfBirth string // YYYY-MM-DD; "" when absent or unreadable
	Address     string
	PostalCode  string
	City        string
	CountryCode string
	Phone       string
	// GLN is the 13-digit Global Location Number, kept only when its GS1
	// check digit is right ("" otherwise): accounts are linked by it.
	GLN string
	// VerificationLevel is SDS's value as sent. Guess: no source lists the
	// values; it is shown as is and never compared.
	VerificationLevel string
}

// DisplayName is "Claudia Muster" (first, middle, last).
func (p Profile) DisplayName() string {
	return strings.Join(strings.Fields(p.FirstName+" "+p.MiddleName+" "+p.LastName), " ")
}

// ProfileClient reads profiles from HIN's SDS. It is safe for concurrent use.
type ProfileClient struct {
	selfURL string
	http    *http.Client
}

// NewProfileClient returns a client of the SDS at sdsURL (DefaultSDSURL
// when empty; https, or http on loopback). hc carries the transport and
// may be nil; the client never follows redirects, so the token goes to
// SDS only.
func NewProfileClient(sdsURL string, hc *http.Client) (*ProfileClient, error) {
	if sdsURL == "" {
		sdsURL = DefaultSDSURL
	}
	if err := CheckEndpoint(sdsURL); err != nil {
		return nil, fmt.Errorf("hin: SDS URL %w", err)
	}
	c := &http.Client{Timeout: DefaultHTTPTimeout}
	if hc != nil {
		cp := *hc
		c = &cp
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &ProfileClient{selfURL: strings.TrimRight(sdsURL, "/") + SelfPath, http: c}, nil
}

// SelfURL is the profile endpoint.
func (p *ProfileClient) SelfURL() string { return p.selfURL }

const maxProfileBytes = 64 << 10

// Self reads the profile of the professional whose token (of token group
// hin_sds) is given.
func (p *ProfileClient) Self(ctx context.Context, accessToken string) (Profile, error) {
	if accessToken == "" {
		return Profile{}, &ProfileError{kind: ErrProfileToken}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.selfURL, nil)
	if err != nil {
		return Profile{}, &ProfileError{kind: ErrProfileUnavailable, cause: err}
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := p.http.Do(req)
	if err != nil {
		return Profile{}, &ProfileError{kind: ErrProfileUnavailable, cause: transportCause(err)}
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized, http.StatusBadRequest:
		return Profile{}, &ProfileError{StatusCode: resp.StatusCode, kind: ErrProfileToken}
	case http.StatusForbidden:
		return Profile{}, &ProfileError{StatusCode: resp.StatusCode, kind: ErrProfileForbidden}
	default:
		return Profile{}, &ProfileError{StatusCode: resp.StatusCode, kind: ErrProfileUnavailable}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxProfileBytes+1))
	if err == nil && len(data) > maxProfileBytes {
		err = errors.New("profile too large")
	}
	if err != nil {
		return Profile{}, &ProfileError{StatusCode: resp.StatusCode, kind: ErrProfileUnavailable, cause: transportCause(err)}
	}
	prof, err := DecodeProfile(data)
	if err != nil {
		return Profile{}, &ProfileError{StatusCode: resp.StatusCode, kind: ErrProfileUnavailable, cause: err}
	}
	return prof, nil
}

func transportCause(err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		return errors.New("timeout")
	}
	return errors.New("no answer")
}

// sdsProfile is SDS's answer as AmiKo decodes it. Field names are
// AmiKo's; every value may be null.
type sdsProfile struct {
	LoginName *string `json:"loginName"`
	Email     *string `json:"email"`
	ContactID *struct {
		FirstName         *string `json:"firstName"`
		MiddleName        *string `json:"middleName"`
		LastName          *string `json:"lastName"`
		Gender            *string `json:"gender"`
		DateOfBirth       *string `json:"dateOfBirth"`
		Address           *string `json:"address"`
		PostalCode        *string `json:"postalCode"`
		City              *string `json:"city"`
		CountryCode       *string `json:"countryCode"`
		PhoneNr           *string `json:"phoneNr"`
		GLN               *string `json:"gln"`
		VerificationLevel *string `json:"verificationLevel"`
	} `json:"contactId"`
}

// DecodeProfile reads SDS's JSON profile. It requires a loginName and a
// contactId object; other fields may be absent or null. Unknown fields
// are ignored (SDS may send more). Guesses, since SDS's schema is not
// public: dateOfBirth is read as a date or a date-time (AmiKo decodes it
// into a DateTime) and kept as YYYY-MM-DD; a GLN with a wrong check
// digit is dropped.
func DecodeProfile(data []byte) (Profile, error) {
	var s sdsProfile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&s); err != nil {
		return Profile{}, errors.New("profile is not a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return Profile{}, errors.New("profile carries trailing data")
	}
	if s.LoginName == nil || strings.TrimSpace(*s.LoginName) == "" {
		return Profile{}, errors.New("profile lacks loginName")
	}
	if s.ContactID == nil {
		return Profile{}, errors.New("profile lacks contactId")
	}
	c := s.ContactID
	p := Profile{
		LoginName: clean(s.LoginName), Email: clean(s.Email),
		FirstName: clean(c.FirstName), MiddleName: clean(c.MiddleName), LastName: clean(c.LastName),
		Gender: clean(c.Gender), DateOfBirth: dateOnly(clean(c.DateOfBirth)),
		Address: clean(c.Address), PostalCode: clean(c.PostalCode), City: clean(c.City),
		CountryCode: clean(c.CountryCode), Phone: clean(c.PhoneNr),
		VerificationLevel: clean(c.VerificationLevel),
	}
	if gln := clean(c.GLN); ValidGLN(gln) {
		p.GLN = gln
	}
	return p, nil
}

// clean trims a value and drops control characters: it comes from
// outside and is shown on pages and written to logs.
func clean(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, *s))
}

func dateOnly(s string) string {
	if len(s) < len(time.DateOnly) {
		return ""
	}
	d := s[:len(time.DateOnly)]
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return ""
	}
	if rest := s[len(d):]; rest != "" && rest[0] != 'T' && rest[0] != ' ' {
		return ""
	}
	return d
}

// ValidGLN reports whether s is a GLN: 13 digits whose last is the GS1
// check digit of the first twelve.
func ValidGLN(s string) bool {
	if len(s) != 13 {
		return false
	}
	sum := 0
	for i := range 12 {
		d := s[i]
		if d < '0' || d > '9' {
			return false
		}
		w := 1
		if i%2 == 1 {
			w = 3
		}
		sum += int(d-'0') * w
	}
	return s[12] >= '0' && s[12] <= '9' && int(s[12]-'0') == (10-sum%10)%10
}
