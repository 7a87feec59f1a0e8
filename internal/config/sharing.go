package config

import "github.com/infopatient/infopatient/internal/hin"

// PSCContext configures ANS's context-sharing API, where a
// professional's PSC-connected applications share the patient in hand.
type PSCContext struct {
	// URL is the API's base; its endpoint is URL+"/share". Empty: sharing
	// is off (in demo mode, the sandbox's API stands in).
	URL string
}

// HINDirectory configures HIN's directory (SDS), from which the portal
// reads a HIN-signed-in professional's name, GLN and verification level.
type HINDirectory struct {
	// URL is SDS's base, https://oauth2.sds.hin.ch; empty: not read (in
	// demo mode, the sandbox's directory stands in).
	URL string
	// TokenGroup is the directory's token group, hin_sds.
	TokenGroup string
}

func loadPSCContext(l *loader) PSCContext {
	c := PSCContext{URL: l.str("INFOPATIENT_PSC_CONTEXT_URL", "")}
	l.endpoint("INFOPATIENT_PSC_CONTEXT_URL", c.URL, hin.CheckEndpoint)
	return c
}

func loadHINDirectory(l *loader) HINDirectory {
	d := HINDirectory{
		URL:        l.str("INFOPATIENT_HIN_SDS_URL", ""),
		TokenGroup: l.str("INFOPATIENT_HIN_SDS_TOKEN_GROUP", hin.SDSTokenGroup),
	}
	l.endpoint("INFOPATIENT_HIN_SDS_URL", d.URL, hin.CheckEndpoint)
	l.tokenGroup("INFOPATIENT_HIN_SDS_TOKEN_GROUP", d.TokenGroup)
	return d
}
