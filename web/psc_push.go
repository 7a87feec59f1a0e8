package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/views"
)

// "Recevoir une notification e-CPS": decoupled sign-in (CIBA, poll mode).
// The professional gives an idNat, PSC pushes the request to the e-CPS
// app, and the browser waits on a page that refreshes itself (a meta
// refresh; a small static script shows the countdown). Each request of
// that page makes at most one poll of PSC, when the interval PSC set has
// passed: no server goroutine waits for anyone. The auth_req_id waits
// sealed in the server-side session; an approval finishes exactly as the
// redirect flow does (signInWith).

// pushSignIn is a decoupled sign-in in flight, kept in the session.
type pushSignIn struct {
	SealedReqID []byte `json:"req"`
	IDNat       string `json:"idnat"`
	Binding     string `json:"binding"`
	ReturnTo    string `json:"return"`
	Expires     int64  `json:"expires"`  // unix seconds
	Interval    int64  `json:"interval"` // seconds between polls
	NextPoll    int64  `json:"next"`     // unix seconds
}

// pushReqAAD binds a sealed auth_req_id to its use.
const pushReqAAD = "psc_ciba_auth_req_id"

// Remembered idNats: a cookie on this device with idNats only (no name,
// no token), the most recent first.
const (
	pushCookie     = "infopatient_ecps_ids"
	pushRemembered = 5
)

// idNatForm is what an idNat typed here may look like (PSC's own check,
// psc.StartCIBA, is the same).
var idNatForm = regexp.MustCompile(`^[0-9A-Za-z]{6,20}$`)

// pushPage is the form: an idNat typed, or picked from those remembered.
func (s *Server) pushPage(c echo.Context) error {
	if s.PSC == nil {
		return errAuthorityOff
	}
	noStore(c)
	return s.render(c, http.StatusOK, views.PushPage(views.PushForm{
		Remembered: rememberedIDNats(c), ReturnTo: safeReturn(c.QueryParam("return")),
	}))
}

// pushStart asks PSC to push the sign-in to the professional's e-CPS app.
func (s *Server) pushStart(c echo.Context) error {
	if s.PSC == nil {
		return errAuthorityOff
	}
	ctx := c.Request().Context()
	noStore(c)
	idNat := strings.TrimSpace(c.FormValue("idnat"))
	f := views.PushForm{IDNat: idNat, Remembered: rememberedIDNats(c), ReturnTo: safeReturn(c.FormValue("return"))}
	if !idNatForm.MatchString(idNat) {
		f.Error = "psc.push.error.idnat"
		return s.render(c, http.StatusUnprocessableEntity, views.PushPage(f))
	}
	binding := psc.NewBindingMessage()
	start, err := s.PSC.StartCIBA(ctx, psc.CIBARequest{IDNat: idNat, BindingMessage: binding})
	switch {
	case errors.Is(err, psc.ErrUnknownProfessional):
		f.Error = "psc.push.error.unknown"
		s.countSignIn(authorityPSC, outcomeRejected)
		return s.render(c, http.StatusUnprocessableEntity, views.PushPage(f))
	case err != nil:
		return s.pushFailed(ctx, s.authorityFailed(ctx, authorityPSC, err))
	}
	sealed, err := s.Box.Seal([]byte(start.AuthReqID), []byte(pushReqAAD))
	if err != nil {
		return err
	}
	now := s.Now()
	p := pushSignIn{
		SealedReqID: sealed, IDNat: idNat, Binding: binding, ReturnTo: f.ReturnTo,
		Expires: start.Expires.Unix(), Interval: int64(start.Interval / time.Second),
		NextPoll: now.Add(start.Interval).Unix(),
	}
	if err := s.session(ctx).SetPushSignIn(p); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "e-CPS push sent")
	return c.Redirect(http.StatusSeeOther, "/auth/psc/push/attente")
}

// pushWait is the waiting page; when PSC's interval has passed it polls
// PSC once and acts on the answer.
func (s *Server) pushWait(c echo.Context) error {
	if s.PSC == nil {
		return errAuthorityOff
	}
	ctx := c.Request().Context()
	noStore(c)
	w := s.session(ctx)
	p, ok := w.PushSignIn()
	if !ok {
		return c.Redirect(http.StatusSeeOther, "/auth/psc/push")
	}
	now := s.Now()
	if now.Unix() > p.Expires {
		w.ForgetPushSignIn()
		return s.pushEnded(ctx, pushExpired)
	}
	if now.Unix() < p.NextPoll {
		return s.renderWait(c, p, now, "")
	}
	reqID, err := s.Box.Open(p.SealedReqID, []byte(pushReqAAD))
	if err != nil {
		w.ForgetPushSignIn()
		return s.pushFailed(ctx, s.refuseSignIn(ctx, authorityPSC, outcomeState, errors.New("sealed auth_req_id unreadable")))
	}
	poll, err := s.PSC.PollCIBA(ctx, string(reqID), time.Duration(p.Interval)*time.Second)
	if errors.Is(err, psc.ErrUnavailable) {
		// PSC did not answer: wait and try the same request again.
		s.Logger.WarnContext(ctx, "e-CPS push: PSC unavailable", slog.Any("err", err))
		p.NextPoll = now.Add(time.Duration(p.Interval) * time.Second).Unix()
		if err := w.SetPushSignIn(p); err != nil {
			return err
		}
		return s.renderWait(c, p, now, "psc.push.retrying")
	}
	if err != nil {
		w.ForgetPushSignIn()
		return s.pushFailed(ctx, s.authorityFailed(ctx, authorityPSC, err))
	}
	switch poll.Status {
	case psc.CIBAPending, psc.CIBASlowDown:
		p.Interval = int64(poll.Interval / time.Second)
		p.NextPoll = now.Add(poll.Interval).Unix()
		if err := w.SetPushSignIn(p); err != nil {
			return err
		}
		return s.renderWait(c, p, now, "")
	case psc.CIBADenied:
		w.ForgetPushSignIn()
		s.countSignIn(authorityPSC, outcomeCancelled)
		return s.pushEnded(ctx, pushDenied)
	case psc.CIBAExpired:
		w.ForgetPushSignIn()
		return s.pushEnded(ctx, pushExpired)
	}
	w.ForgetPushSignIn()
	login := poll.Login
	if login.Professional.IDNat == "" {
		return s.pushFailed(ctx, s.refuseSignIn(ctx, authorityPSC, outcomeRejected, errors.New("no idNat in the claims")))
	}
	rememberIDNat(c, login.Professional.IDNat, s.Config.SecureCookies())
	return s.signInWith(c, pscIdentity(login, p.ReturnTo), nil)
}

// pushCancel forgets the push in flight (PSC's request simply expires).
func (s *Server) pushCancel(c echo.Context) error {
	s.session(c.Request().Context()).ForgetPushSignIn()
	return c.Redirect(http.StatusSeeOther, "/")
}

// renderWait shows the binding message and refreshes at the next poll.
func (s *Server) renderWait(c echo.Context, p pushSignIn, now time.Time, notice string) error {
	secs := max(int(p.NextPoll-now.Unix()), 1)
	req := c.Request()
	c.SetRequest(req.WithContext(views.WithRefresh(req.Context(), secs, "js/ecps-wait.js")))
	return s.render(c, http.StatusOK, views.PushWaitPage(views.PushWait{
		Binding: p.Binding, IDNat: p.IDNat, Seconds: secs, Notice: notice,
		Expires: time.Unix(p.Expires, 0), Loc: s.loc,
	}))
}

// How a push ended without a sign-in: its page's title and message.
type pushEnd struct{ outcome, title, body string }

var (
	pushExpired = pushEnd{"expired", "psc.push.expired.title", "psc.push.expired.body"}
	pushDenied  = pushEnd{"denied", "psc.push.denied.title", "psc.push.denied.body"}
)

// pushEnded is the page of a push refused or expired: said plainly, with
// a button to start again.
func (s *Server) pushEnded(ctx context.Context, e pushEnd) error {
	s.Logger.InfoContext(ctx, "e-CPS push ended", slog.String("outcome", e.outcome))
	return &pageError{view: views.ErrorView{
		Status: http.StatusUnauthorized, Title: e.title, Message: e.body,
		Retry: "/auth/psc/push", Info: e == pushDenied,
	}}
}

// pushFailed is a failed sign-in's page whose retry starts a push again.
func (s *Server) pushFailed(_ context.Context, pe *pageError) error {
	pe.view.Retry = "/auth/psc/push"
	return pe
}

// rememberedIDNats reads the device's remembered idNats, dropping any
// value that is not an idNat.
func rememberedIDNats(c echo.Context) []string {
	ck, err := c.Cookie(pushCookie)
	if err != nil {
		return nil
	}
	var out []string
	for _, v := range strings.Split(ck.Value, ".") {
		if idNatForm.MatchString(v) && !slices.Contains(out, v) && len(out) < pushRemembered {
			out = append(out, v)
		}
	}
	return out
}

// rememberIDNat puts idNat first in the device's list.
func rememberIDNat(c echo.Context, idNat string, secure bool) {
	list := append([]string{idNat}, slices.DeleteFunc(rememberedIDNats(c), func(v string) bool { return v == idNat })...)
	if len(list) > pushRemembered {
		list = list[:pushRemembered]
	}
	c.SetCookie(&http.Cookie{
		Name: pushCookie, Value: strings.Join(list, "."), Path: "/auth/psc/push",
		MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
}
