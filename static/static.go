// Package static embeds the stylesheet and images and serves them under
// content-hashed names, so browsers may cache them forever.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed css img js
var files embed.FS

// Prefix is where assets are served.
const Prefix = "/static/"

// contentTypes are the types of the embedded files, by extension.
// mime.TypeByExtension would give the same, but its first call loads the
// system's MIME tables (/etc/mime.types, shared-mime-info: thousands of
// types, 0.45 MB of heap on a Debian host) for these three.
var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
}

// Assets maps logical names ("css/app.css") to hashed URLs and back.
type Assets struct {
	urls   map[string]string // logical → URL
	hashed map[string]*asset // hashed name → content
}

// asset is one file as served: its body is read once, at Load.
type asset struct {
	logical     string
	body        []byte
	contentType string
	etag        string
	length      string
}

// Load reads and hashes every embedded file once.
func Load() (*Assets, error) {
	a := &Assets{urls: map[string]string{}, hashed: map[string]*asset{}}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		ext := path.Ext(p)
		contentType, ok := contentTypes[ext]
		if !ok {
			return fmt.Errorf("static: %s: no content type for %q (add it to contentTypes)", p, ext)
		}
		sum := sha256.Sum256(b)
		digest := hex.EncodeToString(sum[:6])
		hashed := strings.TrimSuffix(p, ext) + "." + digest + ext
		a.urls[p] = Prefix + hashed
		a.hashed[hashed] = &asset{
			logical: p, body: b, contentType: contentType,
			etag: `"` + digest + `"`, length: strconv.Itoa(len(b)),
		}
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
	f, ok := a.hashed[strings.TrimPrefix(r.URL.Path, Prefix)]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Etag", f.etag)
	h.Set("Content-Type", f.contentType)
	if plainGet(r) {
		// The whole body in one write: http.ServeContent would copy it
		// through a buffer of its size, a new one on every request.
		h.Set("Accept-Ranges", "bytes")
		h.Set("Content-Length", f.length)
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(f.body)
		}
		return
	}
	http.ServeContent(w, r, f.logical, time.Time{}, bytes.NewReader(f.body))
}

// plainGet is a GET or HEAD that asks for the whole body without
// conditions: ranges and revalidations are http.ServeContent's.
func plainGet(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, k := range [...]string{"Range", "If-Range", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"} {
		if _, ok := r.Header[k]; ok {
			return false
		}
	}
	return true
}
