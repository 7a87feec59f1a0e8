package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

func benchStore(b *testing.B) *store.Store {
	return database{dsn: filepath.Join(b.TempDir(), "bench.db")}.open(b)
}

func BenchmarkAccountByID(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	a, err := s.CreateAccount(ctx, store.Account{Login: "751234567", GivenName: "Zoé", FamilyName: "Müller-Dubois"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.AccountByID(ctx, a.ID); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkSessionFind is the one query of every authenticated page.
func BenchmarkSessionFind(b *testing.B) {
	ss := benchStore(b).SessionStore()
	if err := ss.Commit("token", make([]byte, 512), time.Now().Add(time.Hour)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, found, err := ss.Find("token"); !found || err != nil {
				b.Error(found, err)
				return
			}
		}
	})
}
