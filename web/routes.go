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
	e.Use(s.recoverPanics, middleware.RequestID(), s.logRequests, s.secureHeaders)

	// Probes and assets never touch the session: they stay cheap.
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET(static.Prefix+"*", echo.WrapHandler(s.Assets))

	// Pages: language, session, CSRF token, layout data.
	pages := e.Group("", middleware.BodyLimit("64K"), s.language, s.sessions, s.csrf(), s.pageContext)

	pages.GET("/", s.loginPage)
	pages.POST("/login", s.login)
	pages.GET("/mot-de-passe-oublie", s.forgotPage)
	pages.POST("/logout", s.logout)

	signedIn := pages.Group("", s.requireUser)
	signedIn.GET("/identification", s.identifyPage)
	signedIn.POST("/patient", s.patient)
	signedIn.GET("/patient", s.backToIdentify)
}
