package hin

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
	"github.com/infopatient/infopatient/internal/secretbox"
)

// A practice's Covercard access by client credentials: twenty requests
// arriving together cost HIN one token request.
func ExampleServiceTokens() {
	// An offline HIN that knows the practice's device.
	var sim *hinsim.Server
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sim.ServeHTTP(w, r) }))
	defer srv.Close()
	sim, _ = hinsim.New(hinsim.Config{
		BaseURL:    srv.URL,
		Identities: []hinsim.Identity{{HINID: "cmuster", FamilyName: "Muster"}},
		Devices:    []hinsim.Device{{ClientID: "ch.practice-cc", Secret: "generated-on-apps.hin.ch", TokenGroup: "hin_covercard"}},
	})

	box, _ := secretbox.New(secretbox.GenerateKey()) // in production: the configured key
	client := New(Config{TokenURL: sim.TokenURL(), TokenGroup: "hin_covercard"}, srv.Client())
	tokens := NewServiceTokens(client, ServiceConfig{ClientID: "ch.practice-cc", ClientSecret: "generated-on-apps.hin.ch"},
		newMemStore(), box) // in production: the portal's store

	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() { _, _ = tokens.Token(context.Background()) })
	}
	wg.Wait()
	fmt.Println("client-credentials requests:", sim.Stats().ClientCredentials)
	// Output: client-credentials requests: 1
}
