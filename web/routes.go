package web

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/infopatient/infopatient/static"
)

// routes is the site map: every route of the portal, in one place.
func (s *Server) routes() {
	e := s.echo
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: 308}))
	// A panic is recovered inside logRequests, so that it still gets its
	// access line, its metric and its request id.
	e.Use(s.requestID, s.logRequests, s.recoverPanics, s.secureHeaders, s.limitURI)

	// Probes and assets never touch the session: they stay cheap.
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	// /metrics has a listener of its own (App.ServeMetrics), never this one.
	e.GET(static.Prefix+"*", echo.WrapHandler(s.Assets))

	// Pages: language, session, CSRF token, layout data.
	pages := e.Group("", middleware.BodyLimit("64K"), s.readForm, s.language, s.sessions, s.csrf(), s.pageContext)

	// Called by Pro Santé Connect's server, not a browser: no session, no CSRF.
	e.POST("/auth/psc/backchannel-logout", s.pscBackchannelLogout, middleware.BodyLimit("64K"))

	// Sign-in and sign-out.
	pages.GET("/", s.loginPage)
	pages.GET("/login", s.loginAgain)
	pages.POST("/login", s.login)
	pages.GET("/mot-de-passe-oublie", s.forgotPage)
	pages.POST("/logout", s.logout)
	pages.GET("/auth/psc/login", s.pscLogin, s.limitSignInStarts)
	pages.GET("/auth/psc/callback", s.pscCallback)
	pages.GET("/auth/psc/logout-callback", s.pscLogoutCallback)
	pages.GET("/auth/hin/login", s.hinLogin, s.limitSignInStarts)
	pages.GET("/auth/hin/callback", s.hinCallback)
	pages.GET("/auth/hin/manual", s.hinManualPage)
	pages.POST("/auth/hin/manual", s.hinManual)
	pages.GET("/auth/link", s.linkPage)
	pages.POST("/auth/link", s.link)
	pages.POST("/auth/link/cancel", s.cancelLink)

	// The professional's pages. (Route-level middleware rather than a
	// group: an Echo group with middleware catches every unknown path,
	// which must stay a 404, not a sign-in redirect.)
	pages.GET(homePath, s.identifyPage, s.requireUser) // /identification
	pages.POST("/patient", s.patient, s.requireUser)
	pages.GET("/patient", s.lastPatient, s.requireUser)
	pages.GET("/mes-informations", s.profilePage, s.requireUser)
	pages.GET("/historique", s.historyPage, s.requireUser)
}
