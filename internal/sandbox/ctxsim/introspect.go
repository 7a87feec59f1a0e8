package ctxsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// introspect asks PSC whether token is active (RFC 7662, client
// authenticated with HTTP Basic) and whose it is. It answers the psId and
// 200, or the status the API gives: 401 for an inactive token, 502 when
// PSC cannot say.
//
// The real API reads psId as SubjectNameID from PSC's userinfo after
// introspection; PSC's introspection also carries SubjectNameID when
// asked with the access token (reference §1.5), so the simulator takes it
// from there, falling back to preferred_username, then sub.
func (s *Server) introspect(r *http.Request, token string) (string, int) {
	form := url.Values{"token": {token}, "token_type_hint": {"access_token"}}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, s.cfg.IntrospectionURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", http.StatusBadGateway
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	// RFC 6749 §2.3.1: client id and secret form-encoded before Basic.
	req.SetBasicAuth(url.QueryEscape(s.cfg.ClientID), url.QueryEscape(s.cfg.ClientSecret))
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return "", http.StatusBadGateway
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", http.StatusBadGateway
	}
	var ir struct {
		Active            bool   `json:"active"`
		SubjectNameID     string `json:"SubjectNameID"`
		PreferredUsername string `json:"preferred_username"`
		Sub               string `json:"sub"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(&ir); err != nil {
		return "", http.StatusBadGateway
	}
	if !ir.Active {
		return "", http.StatusUnauthorized
	}
	for _, id := range []string{ir.SubjectNameID, ir.PreferredUsername, ir.Sub} {
		if id != "" {
			return id, http.StatusOK
		}
	}
	return "", http.StatusUnauthorized
}
