package web_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/crypto/bcrypt"
	"modernc.org/sqlite"

	"github.com/infopatient/infopatient/internal/app"
	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/password"
	"github.com/infopatient/infopatient/internal/store"
)

// TestOneQueryPerAuthenticatedPage counts, at the database driver, the
// statements an authenticated page costs without the session cache: the
// session load, nothing more.
func TestOneQueryPerAuthenticatedPage(t *testing.T) {
	queriesPerPage(t, 1, store.WithoutSessionCache())
}

// TestNoQueryPerAuthenticatedPageWithTheSessionCache: with the session
// cache (the default), a session already read costs no statement at all.
func TestNoQueryPerAuthenticatedPageWithTheSessionCache(t *testing.T) {
	queriesPerPage(t, 0)
}

// queriesPerPage signs in (locally, and with e-CPS), loads the
// identification page once, and then wants each page to cost exactly
// want statements.
func queriesPerPage(t *testing.T, want int64, opts ...store.Option) {
	counter := registered
	registerOnce.Do(func() { sql.Register("sqlite-counting", counter) })
	path := filepath.Join(t.TempDir(), "count.db")
	db, err := sql.Open("sqlite-counting", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	cfg, err := config.Load(func(k string) (string, bool) {
		v, ok := map[string]string{"INFOPATIENT_DATA_DIR": t.TempDir(), "INFOPATIENT_BASE_URL": base, "INFOPATIENT_DEMO": "true"}[k]
		return v, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)),
		app.Options{Store: store.New(db, store.SQLite, opts...), Hasher: &password.Hasher{Cost: bcrypt.MinCost}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv.Config.Handler = a.Handler()
	srv.Start()
	defer srv.Close()

	portal := &apptest.Portal{URL: srv.URL}
	b := portal.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	// Signed in with e-CPS too: the ID token and the claims are not in the
	// session, whose load stays the page's one statement.
	psc := portal.NewBrowser(t)
	if r := psc.Get(pscAuthorize(t, psc, virginieIDNat, "sign-in").String()); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("e-CPS sign-in: %d → %q", r.Status, r.Location)
	}
	for _, br := range []*apptest.Browser{b, psc} {
		br.Get("/identification") // the cache's first read
		for _, page := range []string{"/identification", "/identification", "/identification?lang=de"} {
			before := counter.statements.Load()
			if r := br.Get(page); r.Status != http.StatusOK {
				t.Fatalf("%s: %d", page, r.Status)
			}
			if n := counter.statements.Load() - before; n != want {
				t.Errorf("%s cost %d database statements, want exactly %d", page, n, want)
			}
		}
	}
	before := counter.statements.Load()
	b.Get(b.Page.Find(`link[rel="stylesheet"]`).AttrOr("href", ""))
	if n := counter.statements.Load() - before; n != 0 {
		t.Errorf("the stylesheet cost %d statements", n)
	}
}

var (
	registerOnce sync.Once
	// registered is the one counting driver: sql.Register takes a name once.
	registered = &countingDriver{inner: &sqlite.Driver{}}
)

// countingDriver counts the statements sent through it.
type countingDriver struct {
	inner      driver.Driver
	statements atomic.Int64
}

func (d *countingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.inner.Open(name)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, d: d}, nil
}

type countingConn struct {
	driver.Conn
	d *countingDriver
}

func (c *countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c.d.statements.Add(1)
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c *countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	c.d.statements.Add(1)
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

// PrepareContext counts nothing itself: executions of the prepared
// statement are counted.
func (c *countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return &countingStmt{Stmt: st, d: c.d}, nil
}

type countingStmt struct {
	driver.Stmt
	d *countingDriver
}

func (s *countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.d.statements.Add(1)
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (s *countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.d.statements.Add(1)
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *countingConn) CheckNamedValue(nv *driver.NamedValue) error {
	if checker, ok := c.Conn.(driver.NamedValueChecker); ok {
		return checker.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func (c *countingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}
