package hinsim

import (
	"net/http"
	"strings"
)

// SDS, HIN's directory, serves a professional's own profile to a token
// of token group hin_sds; the real host is oauth2.sds.hin.ch. Field
// names follow AmiKo's SDSProfileResponse.cs (the only public client).
const (
	pathSDS       = "/sds"
	pathSDSSelf   = pathSDS + "/api/public/v1/self/"
	SDSTokenGroup = "hin_sds"
)

// SDSURL is the simulated directory's base, the stand-in for
// https://oauth2.sds.hin.ch; the profile is at SDSURL()+"/api/public/v1/self/".
func (s *Server) SDSURL() string { return s.cfg.BaseURL + pathSDS }

type sdsContact struct {
	FirstName         string `json:"firstName"`
	MiddleName        string `json:"middleName,omitempty"`
	LastName          string `json:"lastName"`
	Gender            string `json:"gender,omitempty"`
	GLN               string `json:"gln,omitempty"`
	VerificationLevel string `json:"verificationLevel,omitempty"`
	CountryCode       string `json:"countryCode"`
}

type sdsProfile struct {
	LoginName string     `json:"loginName"`
	Email     string     `json:"email,omitempty"`
	ContactID sdsContact `json:"contactId"`
}

// serveSelf answers GET …/api/public/v1/self/ as HIN's protected
// applications do: 400 without an Authorization header, 401 for a token
// unknown or expired, 403 for a token of another group or of a device.
func (s *Server) serveSelf(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeTokenError(w, http.StatusMethodNotAllowed, "invalid_request", "GET only")
		return
	}
	if !s.applySDSFault(w, r) {
		return
	}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		writeTokenError(w, http.StatusBadRequest, "invalid_request", "missing Authorization header")
		return
	}
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		writeTokenError(w, http.StatusBadRequest, "invalid_request", "Bearer token expected")
		return
	}
	info, err := s.Introspect(strings.TrimSpace(token))
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeTokenError(w, http.StatusUnauthorized, "invalid_token", "access token invalid or expired")
		return
	}
	id, known := s.byHINID[info.HINID]
	if info.TokenGroup != SDSTokenGroup || info.ClientCredentials || !known {
		writeTokenError(w, http.StatusForbidden, "insufficient_scope", "token not valid for "+SDSTokenGroup)
		return
	}
	writeJSON(w, http.StatusOK, sdsProfile{
		LoginName: id.HINID, Email: id.Email,
		ContactID: sdsContact{
			FirstName: id.GivenName, LastName: id.FamilyName, Gender: id.Gender,
			GLN: id.GLN, VerificationLevel: id.VerificationLevel, CountryCode: "CH",
		},
	})
}
