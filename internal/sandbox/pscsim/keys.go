package pscsim

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	jose "github.com/go-jose/go-jose/v4"
)

// signingKey is an RS256 key and its kid (the JWK thumbprint, so that a
// key persisted across restarts keeps its kid).
type signingKey struct {
	priv *rsa.PrivateKey
	kid  string
}

func newSigningKey(priv *rsa.PrivateKey) (signingKey, error) {
	jwk := jose.JSONWebKey{Key: priv.Public(), Algorithm: string(jose.RS256), Use: "sig"}
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return signingKey{}, err
	}
	return signingKey{priv: priv, kid: base64.RawURLEncoding.EncodeToString(tp)}, nil
}

func generateKey() (signingKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return signingKey{}, err
	}
	return newSigningKey(priv)
}

// loadOrCreateKey reads the PEM key at path, or creates it (0600) once.
func loadOrCreateKey(path string) (signingKey, error) {
	if path == "" {
		return generateKey()
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		k, err := generateKey()
		if err != nil {
			return k, err
		}
		der, err := x509.MarshalPKCS8PrivateKey(k.priv)
		if err != nil {
			return k, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return k, err
		}
		return k, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	}
	if err != nil {
		return signingKey{}, err
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		return signingKey{}, fmt.Errorf("pscsim: %s holds no PEM key", path)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return signingKey{}, fmt.Errorf("pscsim: %s: %w", path, err)
	}
	priv, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return signingKey{}, fmt.Errorf("pscsim: %s is not an RSA key", path)
	}
	return newSigningKey(priv)
}

// sign serialises claims as a compact JWS. Without kid the header names no
// key, as some providers do.
func sign(k signingKey, claims map[string]any, withKID bool, typ string) (string, error) {
	key := jose.JSONWebKey{Key: k.priv, Algorithm: string(jose.RS256)}
	if withKID {
		key.KeyID = k.kid
	}
	opts := (&jose.SignerOptions{}).WithType(jose.ContentType(typ))
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, opts)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// corrupt flips a bit of the signature: the token still parses, but no
// key verifies it.
func corrupt(token string) string {
	b := []byte(token)
	i := len(b) - 5
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// verify checks a token this provider signed, with any of its keys.
func verify(keys []signingKey, token string) (map[string]any, error) {
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		payload, err := jws.Verify(k.priv.Public())
		if err == nil {
			var claims map[string]any
			return claims, json.Unmarshal(payload, &claims)
		}
	}
	return nil, errors.New("pscsim: signature does not verify")
}

func (p *Provider) serveJWKS(w http.ResponseWriter, r *http.Request) {
	p.count(func(s *Stats) { s.JWKS++ })
	if p.failWith(w, r, p.takeFaults("", atJWKS)) {
		return
	}
	p.mu.Lock()
	keys := append([]signingKey(nil), p.keys...)
	if p.extraKey != nil {
		keys = append(keys, *p.extraKey)
	}
	p.mu.Unlock()
	set := jose.JSONWebKeySet{}
	for _, k := range keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.priv.Public(), KeyID: k.kid, Algorithm: string(jose.RS256), Use: "sig"})
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, set)
}

// RotateKey makes a new key the signing key (rp-key-rotation-op-sign-key).
// With keepOld the previous keys stay published, for tokens already
// issued; without, the JWKS lists the new key only.
func (p *Provider) RotateKey(keepOld bool) error {
	k, err := generateKey()
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if keepOld {
		p.keys = append([]signingKey{k}, p.keys...)
	} else {
		p.keys = []signingKey{k}
	}
	return nil
}

func (p *Provider) signingKey() signingKey {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.keys[0]
}

func (p *Provider) allKeys() []signingKey {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]signingKey(nil), p.keys...)
}
