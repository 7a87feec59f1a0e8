package pscsim

import (
	"net/http"
	_ "time/tzdata"
)

// Both discovery names answer the same document: PSC publishes
// wallet-openid-configuration, standard clients read openid-configuration.
func (p *Provider) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	p.count(func(s *Stats) { s.Discovery++ })
	if p.failWith(w, r, p.takeFaults("", atDiscovery)) {
		return
	}
	iss := p.cfg.Issuer
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                   iss,
		"authorization_endpoint":   iss + pathAuth,
		"token_endpoint":           iss + pathToken,
		"userinfo_endpoint":        iss + pathUserinfo,
		"end_session_endpoint":     iss + pathLogout,
		"jwks_uri":                 iss + pathCerts,
		"response_types_supported": []string{"code"},
		"response_modes_supported": []string{"query"},
		"grant_types_supported":    []string{"authorization_code", "refresh_token", cibaGrant},
		"introspection_endpoint":   iss + pathIntrospect,
		"introspection_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "tls_client_auth"},
		"backchannel_authentication_endpoint":           iss + pathCIBA,
		"backchannel_token_delivery_modes_supported":    []string{"poll"},
		"backchannel_user_code_parameter_supported":     false,
		"subject_types_supported":                       []string{"public"},
		"id_token_signing_alg_values_supported":         []string{"RS256"},
		"userinfo_signing_alg_values_supported":         []string{"RS256"},
		"scopes_supported":                              []string{"openid", "scope_all"},
		"claims_supported": []string{"sub", "iss", "aud", "acr", "sid", "auth_time", "preferred_username", "given_name", "family_name",
			"SubjectNameID", "otherIds", "SubjectRefPro", "SubjectOrganization", "SubjectOrganizationID", "SubjectRole",
			"Secteur_Activite", "Palier_Authentification", "authMode", "UITVersion"},
		"acr_values_supported":                           acrLevels,
		"code_challenge_methods_supported":               []string{"plain", "S256"},
		"token_endpoint_auth_methods_supported":          []string{"client_secret_basic", "client_secret_post", "private_key_jwt", "tls_client_auth"},
		"ui_locales_supported":                           []string{"fr", "de", "en"},
		"backchannel_logout_supported":                   true,
		"backchannel_logout_session_supported":           true,
		"frontchannel_logout_supported":                  false,
		"authorization_response_iss_parameter_supported": true,
		"tls_client_certificate_bound_access_tokens":     false,
	})
}
