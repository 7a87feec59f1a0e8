package outbound_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/outbound"
)

// A 307 to another server is an error, and the other server hears
// nothing: neither the bearer token nor the re-posted body.
func TestNoRedirectsNeverReachesTheTarget(t *testing.T) {
	var reached atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	defer target.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()

	base := &http.Client{Timeout: 5 * time.Second}
	c := outbound.NoRedirects(base)
	req, _ := http.NewRequest(http.MethodPost, redirector.URL, strings.NewReader("client_secret=s"))
	req.Header.Set("Authorization", "Bearer secret")
	resp, err := c.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("a redirect was answered %d, not refused", resp.StatusCode)
	}
	if !errors.Is(err, outbound.ErrRedirect) {
		t.Errorf("error %v is not ErrRedirect", err)
	}
	if reached.Load() != 0 {
		t.Error("the redirect's target was called")
	}
	if base.CheckRedirect != nil || c.Timeout != base.Timeout {
		t.Error("base was modified, or its settings not kept")
	}
	if outbound.NoRedirects(nil).CheckRedirect == nil {
		t.Error("a nil base gets a client that follows redirects")
	}
}
