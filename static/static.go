// Package static embeds the stylesheet and images and serves them under
// content-hashed names, so browsers may cache them forever.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed css img js
var files embed.FS

// Prefix is where assets are served.
const Prefix = "/static/"

// Assets maps logical names ("css/app.css") to hashed URLs and back.
type Assets struct {
	urls  map[string]string // logical → URL
	names map[string]string // hashed name → logical
}

// Load hashes every embedded file once.
func Load() (*Assets, error) {
	a := &Assets{urls: map[string]string{}, names: map[string]string{}}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		hashed := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		a.urls[p] = Prefix + hashed
		a.names[hashed] = p
		return nil
	})
	return a, err
}

// URL returns the cache-busting URL of a logical asset name. An unknown name
// is returned as is, which shows up as a 404 in tests.
func (a *Assets) URL(name string) string {
	if u, ok := a.urls[name]; ok {
		return u
	}
	return Prefix + name
}

// ServeHTTP serves a hashed asset with a year-long immutable cache.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hashed := strings.TrimPrefix(r.URL.Path, Prefix)
	logical, ok := a.names[hashed]
	if !ok {
		http.NotFound(w, r)
		return
	}
	f, err := files.Open(logical)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	// Files of an embed.FS are io.ReadSeekers.
	http.ServeContent(w, r, logical, time.Time{}, f.(io.ReadSeeker))
}
