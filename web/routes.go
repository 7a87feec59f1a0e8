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
	pages.GET("/auth/psc/push", s.pushPage)
	pages.POST("/auth/psc/push", s.pushStart, s.limitSignInStarts)
	pages.GET("/auth/psc/push/attente", s.pushWait)
	pages.POST("/auth/psc/push/annuler", s.pushCancel)
	pages.GET("/auth/hin/login", s.hinLogin, s.limitSignInStarts)
	pages.GET("/auth/hin/callback", s.hinCallback)
	pages.GET("/auth/hin/manual", s.hinManualPage)
	pages.POST("/auth/hin/manual", s.hinManual)
	pages.GET("/auth/link", s.linkPage)
	pages.POST("/auth/link", s.link)
	pages.POST("/auth/link/cancel", s.cancelLink)
	// Passkeys: alone, as a second step after the password, to link.
	pages.POST("/auth/passkey/options", s.signInOptions, s.limitSignInStarts)
	pages.POST("/auth/passkey", s.passkeySignIn)
	pages.GET("/auth/passkey/second", s.secondStepPage)
	pages.POST("/auth/passkey/second/options", s.secondStepOptions)
	pages.POST("/auth/passkey/second", s.secondStep)
	pages.POST("/auth/passkey/second/cancel", s.cancelSecondStep)
	pages.POST("/auth/link/passkey/options", s.linkOptions, s.limitSignInStarts)
	pages.POST("/auth/link/passkey", s.linkWithPasskey)

	// The professional's pages. (Route-level middleware rather than a
	// group: an Echo group with middleware catches every unknown path,
	// which must stay a 404, not a sign-in redirect.)
	pages.GET(homePath, s.identifyPage, s.requireUser) // /identification
	pages.POST("/patient", s.patient, s.requireUser)
	pages.GET("/patient", s.lastPatient, s.requireUser)
	pages.GET("/patient/:id", s.lookupPage, s.requireUser)
	pages.POST("/patient/:id/reopen", s.reopenLookup, s.requireUser)
	pages.GET(profilePath, s.profilePage, s.requireUser)
	// "Lire mon profil HIN": HIN's directory, read again (hin_directory.go).
	pages.POST("/auth/hin/directory", s.hinProfileRead, s.requireUser, s.limitSignInStarts)
	pages.GET("/historique", s.historyPage, s.requireUser)
	// INS by traits (INSi) and the identities it keeps (identity vigilance).
	pages.POST("/identification/traits", s.traits, s.requireUser)
	pages.GET("/identite/:id", s.identityPage, s.requireUser)
	pages.POST("/identite/:id/qualification", s.qualify, s.requireUser)
	pages.POST("/identite/:id/attributs", s.markIdentity, s.requireUser)
	pages.POST("/identite/:id/noms-utilises", s.usedNames, s.requireUser)
	pages.GET(securityPath, s.securityPage, s.requireUser)
	pages.POST(securityPath+"/cles/options", s.registrationOptions, s.requireUser, s.localOnly)
	pages.POST(securityPath+"/cles", s.registerPasskey, s.requireUser, s.localOnly)
	pages.POST(securityPath+"/cles/:id/supprimer", s.removePasskey, s.requireUser, s.localOnly)
	// Context sharing with the professional's other software (PSC).
	pages.POST("/patient/partager", s.sharePatient, s.requireUser)
	pages.POST("/patient/partage", s.readSharedPatient, s.requireUser)
}
