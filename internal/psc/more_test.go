package psc_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/psc"
)

func TestLogoutTokenRules(t *testing.T) {
	r := newRP(t, nil, false)
	event := map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}}
	base := func() map[string]any {
		return map[string]any{"iss": r.issuer, "aud": clientID, "iat": time.Now().Unix(), "sid": "s1", "events": event}
	}
	for name, mutate := range map[string]func(map[string]any){
		"with a nonce":        func(c map[string]any) { c["nonce"] = "n" },
		"without events":      func(c map[string]any) { delete(c, "events") },
		"another event":       func(c map[string]any) { c["events"] = map[string]any{"urn:other": map[string]any{}} },
		"neither sid nor sub": func(c map[string]any) { delete(c, "sid") },
		"without iat":         func(c map[string]any) { delete(c, "iat") },
		"another issuer":      func(c map[string]any) { c["iss"] = "https://evil.example" },
	} {
		claims := base()
		mutate(claims)
		tok, err := r.sim.Sign(claims)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.client.VerifyLogoutToken(context.Background(), tok); !errors.Is(err, psc.ErrRejected) {
			t.Errorf("%s: %v", name, err)
		}
	}
	claims := base()
	claims["aud"] = []string{"other", clientID}
	delete(claims, "sid")
	claims["sub"] = "f:1:2"
	tok, _ := r.sim.Sign(claims)
	if lt, err := r.client.VerifyLogoutToken(context.Background(), tok); err != nil || lt.Subject != "f:1:2" {
		t.Errorf("sub only, audience array: %+v %v", lt, err)
	}
}

// TestClientCertificateIsPresented: with a certificate configured, calls to
// a provider that requires one (mTLS, tls_client_auth) go through.
func TestClientCertificateIsPresented(t *testing.T) {
	var presented int
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		presented = len(r.TLS.PeerCertificates)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"issuer": "https://psc.example", "authorization_endpoint": "https://psc.example/auth",
			"token_endpoint": "https://psc.example/token", "jwks_uri": "https://psc.example/certs",
		})
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv.StartTLS()
	defer srv.Close()

	certFile, keyFile := writeClientCert(t)
	cfg := psc.Config{Issuer: "https://psc.example", DiscoveryURL: srv.URL + "/.well-known/wallet-openid-configuration",
		ClientID: "a", ClientSecret: "b", RedirectURL: "https://portal.example/cb"}
	without, _ := psc.New(cfg, srv.Client())
	if _, err := without.AuthCodeURL(context.Background(), "s", "n", "v"); !errors.Is(err, psc.ErrUnavailable) {
		t.Errorf("without a certificate: %v", err)
	}
	cfg.ClientCertFile, cfg.ClientKeyFile = certFile, keyFile
	with, err := psc.New(cfg, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := with.AuthCodeURL(context.Background(), "s", "n", "v"); err != nil || presented != 1 {
		t.Errorf("with a certificate: %v (presented %d)", err, presented)
	}
	cfg.ClientKeyFile = filepath.Join(t.TempDir(), "missing.pem")
	if _, err := psc.New(cfg, nil); err == nil {
		t.Error("a missing key file was accepted")
	}
}

func writeClientCert(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "infopatient"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	_ = os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}

func TestConfiguration(t *testing.T) {
	bas, err := psc.Preset("bas")
	if err != nil || bas.Issuer != "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet" || bas.AuthURL != "https://wallet.bas.psc.esante.gouv.fr/auth" ||
		bas.TokenURL != bas.Issuer+"/protocol/openid-connect/token" {
		t.Errorf("bas preset %+v %v", bas, err)
	}
	if prod, _ := psc.Preset("prod"); prod.AuthURL != "https://wallet.esw.esante.gouv.fr/auth" {
		t.Errorf("prod preset %+v", prod)
	}
	if _, err := psc.Preset("staging"); err == nil {
		t.Error("unknown preset accepted")
	}
	errs := psc.Config{Issuer: "not a url", AuthMethod: "jwt", ACRValues: "eidas9", ClientCertFile: "c"}.Validate()
	if len(errs) < 6 {
		t.Errorf("problems found: %v", errs)
	}
}

func TestCallbackError(t *testing.T) {
	if psc.CallbackError(map[string][]string{}) != nil {
		t.Error("no error reported as one")
	}
	if err := psc.CallbackError(map[string][]string{"error": {"access_denied"}}); !errors.Is(err, psc.ErrCancelled) {
		t.Error(err)
	}
	if err := psc.CallbackError(map[string][]string{"error": {"server_error"}}); !errors.Is(err, psc.ErrRejected) {
		t.Error(err)
	}
}

func TestProfessionalFromClaims(t *testing.T) {
	for name, tc := range map[string]struct {
		claims string
		want   psc.Professional
	}{
		"adeli from otherIds": {`{"SubjectNameID":"0751012346","given_name":"MARC","family_name":"KINE","otherIds":[{"identifiant":"751012346","origine":"ADELI"}],
			"SubjectRefPro":{"codeCivilite":"M","exercices":[{"codeProfession":"70"}]}}`,
			psc.Professional{IDNat: "0751012346", ADELI: "751012346", Civility: "M.", GivenName: "MARC", FamilyName: "KINE", ProfessionCode: "70", ProfessionLabel: "Masseur-kinésithérapeute"}},
		"rpps from the idNat prefix": {`{"preferred_username":"810001234567"}`, psc.Professional{IDNat: "810001234567", RPPS: "10001234567"}},
		"non-numeric EDIT identity":  {`{"SubjectNameID":"3EDIT0042SF","otherIds":[{"identifiant":"EDIT0042SF","origine":"EDIT"}]}`, psc.Professional{IDNat: "3EDIT0042SF"}},
		"names from the exercise":    {`{"SubjectNameID":"899700218912","SubjectRefPro":{"exercices":[{"prenomDexercice":"ISABELLE","nomDexercice":"INFIRMIERE","codeProfession":60}]}}`, psc.Professional{IDNat: "899700218912", RPPS: "99700218912", GivenName: "ISABELLE", FamilyName: "INFIRMIERE", ProfessionCode: "60", ProfessionLabel: "Infirmier"}},
		"odd types are skipped":      {`{"SubjectNameID":["x"],"given_name":7.5,"otherIds":"RPPS","SubjectRefPro":[1,2]}`, psc.Professional{}},
	} {
		var claims map[string]any
		if err := json.Unmarshal([]byte(tc.claims), &claims); err != nil {
			t.Fatal(err)
		}
		got := psc.ProfessionalFromClaims(claims)
		got.Activities = nil
		if got.IDNat != tc.want.IDNat || got.RPPS != tc.want.RPPS || got.ADELI != tc.want.ADELI || got.GivenName != tc.want.GivenName ||
			got.FamilyName != tc.want.FamilyName || got.ProfessionLabel != tc.want.ProfessionLabel || got.ProfessionCode != tc.want.ProfessionCode || got.Civility != tc.want.Civility {
			t.Errorf("%s: %+v", name, got)
		}
	}
}

func FuzzProfessionalFromClaims(f *testing.F) {
	raw, _ := os.ReadFile("../../data/sandbox/psc-professionals.json")
	var pros []struct{ Claims json.RawMessage }
	_ = json.Unmarshal(raw, &pros)
	for _, p := range pros {
		f.Add([]byte(p.Claims))
	}
	f.Add([]byte(`{"otherIds":[null,{"origine":5}],"SubjectRefPro":{"exercices":[null,{"activities":[null,1]}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var claims map[string]any
		if json.Unmarshal(b, &claims) != nil {
			return
		}
		p := psc.ProfessionalFromClaims(claims)
		_ = p.DisplayName()
	})
}
