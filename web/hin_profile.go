package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// hinProfile is what the portal keeps of a directory read: in the session
// of the HIN sign-in it belongs to (webSession.SetHINProfile), and in a
// sign-in waiting to be linked. The session rather than the database: it
// is a few short strings that only Mes informations shows and that belong
// to this sign-in; they go with the session at logout, with no row to
// sweep, and the GLN that links accounts is read from it before the
// session exists. A new sign-in reads the directory again.
type hinProfile struct {
	Name string `json:"n,omitempty"`
	GLN  string `json:"g,omitempty"`
	// Level is the verification level as SDS sent it: what its values
	// mean is not published (a guess shown as such).
	Level  string `json:"l,omitempty"`
	ReadAt int64  `json:"t,omitempty"` // unix seconds; 0: never read
	// Problem is the message key of why the last read failed ("" when it
	// did not); a profile read before stays beside it.
	Problem string `json:"p,omitempty"`
}

// hinProfileRead is "Lire mon profil HIN": the directory's authorization
// again, for the professional signed in with HIN.
func (s *Server) hinProfileRead(c echo.Context) error {
	ctx := c.Request().Context()
	if s.HIN == nil || s.HINDirectory == nil {
		return errAuthorityOff
	}
	w := s.session(ctx)
	if w.Authority() != authorityHIN || w.HINID() == "" {
		return &pageError{view: views.ErrorView{Status: http.StatusForbidden, Title: "hin_profile.not_hin.title", Message: "hin_profile.not_hin.body"}}
	}
	p, err := s.startSignIn(c, authorityHINDirectory, store.PendingLogin{ReturnTo: profilePath})
	if err != nil {
		return err
	}
	if err := w.SetHINDirectoryStep(hinDirectoryStep{
		State: p.State, HINID: w.HINID(), Account: w.Account(), Expires: p.ExpiresAt.Unix(),
	}); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "HIN directory asked", slog.String("purpose", "read again"), slog.Int64("account", w.Account()))
	noStore(c)
	return c.Redirect(http.StatusSeeOther, s.hinDirectoryURL(c, p.State, w.HINID()))
}

// profilePath is Mes informations.
const profilePath = "/mes-informations"

// hinProfileView is Mes informations' view of the profile kept.
func (s *Server) hinProfileView(p hinProfile, ok bool) *views.HINProfileView {
	v := &views.HINProfileView{CanRead: s.HINDirectory != nil}
	if ok {
		v.Name, v.GLN, v.Level, v.Problem = p.Name, p.GLN, p.Level, p.Problem
		if p.ReadAt > 0 {
			v.ReadAt = time.Unix(p.ReadAt, 0)
		}
	}
	return v
}
