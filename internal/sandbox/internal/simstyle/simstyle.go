// Package simstyle is the look the simulators share: one stylesheet, so
// that the sandbox's pages read alike and well on a projector, each
// simulator with its own accent and mark (never a real service's logo).
// A page names its simulator with the class of its body (sim-psc,
// sim-hin, sim-index); the stylesheet does the rest.
//
// Each simulator serves the stylesheet under its own path (Path), so that
// it works mounted alone, and its pages need only style-src 'self'.
package simstyle

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
)

//go:embed sandbox.css
var stylesheet []byte

// Path is where a simulator serves the stylesheet, under its base path.
const Path = "/resources/sandbox.css"

// version names the stylesheet's content, so that a page links the one it
// was written for and a changed stylesheet is not read from a cache.
var version = func() string {
	sum := sha256.Sum256(stylesheet)
	return hex.EncodeToString(sum[:6])
}()

// Href is the stylesheet's link for a simulator whose pages live under
// basePath.
func Href(basePath string) string { return basePath + Path + "?v=" + version }

// Serve writes the stylesheet.
func Serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(stylesheet)
}
