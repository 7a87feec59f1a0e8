package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/store"
)

// Post/redirect/get of patient lookups. A lookup is made by a POST (the
// identification form, or "reopen" in Historique): it looks the patient
// up, records the lookup in the audit trail, and answers 303 to the
// lookup's own page, GET /patient/{id}. That page reads the lookup — one
// of this account's own — and shows it: a reload or a language switch is
// a GET of that page and never adds a row. A kind of lookup plugs in by
// giving its recorder (called by the POST) and its display (a case of
// showLookup).
//
// The numbers stay out of URLs: the id names an audit row, readable only
// by the account that made it.

// lookupPath is the page of lookup id.
func lookupPath(id int64) string { return "/patient/" + strconv.FormatInt(id, 10) }

// newLookup records a lookup (kind, canonical identifier, outcome, and
// what its page shows: the patient's name, the outcome as told when it
// differs from outcome's wording) and returns its id.
func (s *Server) newLookup(c echo.Context, l store.Lookup) (int64, error) {
	ctx := c.Request().Context()
	l.AccountID = s.accountID(ctx)
	l.At = s.Now()
	l.ReopenedFrom = reopenedFrom(c)
	return s.Audit.AddLookup(ctx, l)
}

// recordAudit records in the audit trail what is not a patient lookup
// (an INSi call, a context shared or read): its kind, the message id or
// number it is about and its result — never a trait.
func (s *Server) recordAudit(c echo.Context, kind, messageID, result string) error {
	_, err := s.newLookup(c, store.Lookup{Kind: kind, Identifier: messageID, Outcome: result})
	return err
}

// seeLookup answers the POST that recorded lookup id: 303 to its page,
// remembered as this session's last (GET /patient leads there).
func (s *Server) seeLookup(c echo.Context, id int64) error {
	s.session(c.Request().Context()).SetLastLookup(id)
	return c.Redirect(http.StatusSeeOther, lookupPath(id))
}

// lookupPage answers GET /patient/{id}: the lookup shown again, without a
// new row. Another account's lookup is a 404, as is no lookup at all.
func (s *Server) lookupPage(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return echo.ErrNotFound
	}
	l, err := s.Audit.LookupOf(ctx, s.accountID(ctx), id)
	if errors.Is(err, store.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	if !s.lookedUpInThisSignIn(ctx, l) {
		// A bookmark of an earlier sign-in's lookup: showing it would be a
		// consultation without its record. Historique reopens it.
		return c.Redirect(http.StatusSeeOther, "/historique")
	}
	s.session(ctx).SetLastLookup(id)
	return s.showLookup(c, l)
}

// lookedUpInThisSignIn says whether l was recorded since this session's
// sign-in (within one session lifetime for sessions signed in before the
// sign-in time was kept).
func (s *Server) lookedUpInThisSignIn(ctx context.Context, l store.Lookup) bool {
	since := s.session(ctx).SignedInAt()
	if since.IsZero() {
		since = s.Now().Add(-s.Config.SessionLifetime)
	}
	// Instances' clocks differ a little (the sign-in on one, the lookup
	// on another): a lookup a few minutes older still counts.
	return !l.At.Before(since.Add(-clockSkew))
}

// clockSkew is how far apart the instances' clocks may be.
const clockSkew = 5 * time.Minute

// showLookup shows a recorded lookup by its kind.
func (s *Server) showLookup(c echo.Context, l store.Lookup) error {
	switch l.Kind {
	case lookupKindCard:
		return s.showSwiss(c, l)
	case lookupKindRights:
		return s.showRights(c, rightsCallOf(l))
	}
	return echo.ErrNotFound
}

// lastPatient answers GET /patient: the page of the last lookup of this
// session (language links of older pages, bookmarks), else the
// identification page.
func (s *Server) lastPatient(c echo.Context) error {
	if id, ok := s.session(c.Request().Context()).LastLookup(); ok {
		to := lookupPath(id)
		// A language chosen on the way (?lang=de) goes along.
		if lang := c.QueryParam("lang"); s.Catalog.Supported(lang) {
			to += "?lang=" + lang
		}
		return c.Redirect(http.StatusSeeOther, to)
	}
	return c.Redirect(http.StatusSeeOther, homePath)
}

// reopenLookup answers "Rouvrir" in Historique: the same number looked up
// again — a new lookup, recorded as such (with the one it reopens).
func (s *Server) reopenLookup(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return echo.ErrNotFound
	}
	l, err := s.Audit.LookupOf(ctx, s.accountID(ctx), id)
	if errors.Is(err, store.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	c.Set(ctxReopenedFrom, l.ID)
	switch l.Kind {
	case lookupKindRights:
		return s.reopenRights(c, l)
	case lookupKindCard:
		return s.swissLookup(c, l.Identifier)
	}
	return echo.ErrNotFound
}

// ctxReopenedFrom carries, through a reopening, the lookup it repeats.
const ctxReopenedFrom = "reopened_from"

func reopenedFrom(c echo.Context) int64 {
	id, _ := c.Get(ctxReopenedFrom).(int64)
	return id
}

// Lookup kinds in the audit trail.
const (
	lookupKindNIR  = "nir"
	lookupKindCard = "card"
)

// handoff passes what a POST's lookup got to the GET that shows it right
// after, in this process, so that an outside service is not asked twice
// for one lookup. An entry is taken once and lives a minute; a reload, a
// language switch or another instance asks again.
type handoff struct {
	mu      sync.Mutex
	entries map[int64]handoffEntry
}

type handoffEntry struct {
	value any
	until time.Time
}

// handoffTTL bounds how long a result waits for its GET.
const handoffTTL = time.Minute

func (h *handoff) put(id int64, v any, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.entries == nil {
		h.entries = make(map[int64]handoffEntry)
	}
	for k, e := range h.entries {
		if now.After(e.until) {
			delete(h.entries, k)
		}
	}
	h.entries[id] = handoffEntry{value: v, until: now.Add(handoffTTL)}
}

func (h *handoff) take(id int64, now time.Time) (any, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.entries[id]
	if !ok {
		return nil, false
	}
	delete(h.entries, id)
	return e.value, !now.After(e.until)
}
