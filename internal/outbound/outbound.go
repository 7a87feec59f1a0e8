// Package outbound holds the rule every call to an outside authority (PSC,
// HIN, Covercard) follows: a redirect is never followed. Go's client
// re-sends a request's Authorization header to the same host and re-posts
// a 307's body anywhere, so following one would hand a bearer token or a
// client_secret to whoever the answer names; a redirect is an error,
// which each client reports as its authority being unavailable.
package outbound

import (
	"errors"
	"net/http"
)

// ErrRedirect is the transport error of a call answered with a redirect.
var ErrRedirect = errors.New("the service answered with a redirect, which is not followed")

// NoRedirects returns a copy of base (http.DefaultClient's settings when
// nil) that follows no redirect. base is not modified.
func NoRedirects(base *http.Client) *http.Client {
	var c http.Client
	if base != nil {
		c = *base
	}
	c.CheckRedirect = refuse
	return &c
}

func refuse(*http.Request, []*http.Request) error { return ErrRedirect }
