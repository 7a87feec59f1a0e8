package insisim

import (
	"net"
	"net/http"
	"strings"
)

// authorised checks the caller: a certificate named INSI-AUTO or
// INSI-MANU (TLS, or the dev header from loopback) in mtls mode, a PSC
// assertion naming a known professional in psc mode.
func (s *Server) authorised(r *http.Request, req *Request) bool {
	mtls := s.certificateName(r) == "INSI-AUTO" || s.certificateName(r) == "INSI-MANU"
	psc := req.NameQualifier == "PSC" && req.NameID != "" && (s.cfg.KnownIDNat == nil || s.cfg.KnownIDNat(req.NameID))
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); psc && ok && s.cfg.CheckToken != nil {
		who, valid := s.cfg.CheckToken(token)
		psc = valid && who == req.NameID
	}
	switch s.cfg.Mode {
	case ModeMTLS:
		return mtls
	case ModePSC:
		return psc
	}
	return mtls || psc
}

func (s *Server) certificateName(r *http.Request) string {
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		return r.TLS.PeerCertificates[0].Subject.CommonName
	}
	if r.TLS == nil && fromLoopback(r.RemoteAddr) {
		return r.Header.Get(SandboxCNHeader)
	}
	return ""
}

func fromLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
