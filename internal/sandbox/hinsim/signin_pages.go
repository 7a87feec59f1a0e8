package hinsim

import (
	"net/http"
	"net/url"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
)

// pendingLinks is the language switcher of a sign-in's pages: the first
// repeats the request that started it, in another language; the later
// ones (answering forms) show the same step again, in another language.
func (s *Server) pendingLinks(id string, p *pendingSignIn, first bool) []pagelang.Link {
	if first {
		return pagelang.Switcher(p.path, p.query, "lang", p.lang)
	}
	return pagelang.Switcher(s.basePath+pathSignIn, url.Values{"pending": {id}}, "lang", p.lang)
}

func (s *Server) renderSignIn(w http.ResponseWriter, status int, id string, p *pendingSignIn, errKey string) {
	page := s.newPage(p.lang, "signin.title", s.pendingLinks(id, p, errKey == ""))
	page.Action = s.basePath + pathSignIn
	page.Pending = id
	page.Intro = text(p.lang, "signin.intro")
	for _, i := range s.identities {
		page.Identities = append(page.Identities, identityView{HINID: i.HINID, DisplayName: i.DisplayName(),
			Profession: i.ProfessionIn(p.lang), Note: i.NoteIn(p.lang)})
	}
	if p.manual {
		page.Context = text(p.lang, "signin.manual", p.tokenGroup)
	} else {
		page.Context = text(p.lang, "signin.app", clientName(p.client), p.tokenGroup)
	}
	if errKey != "" {
		page.Error = text(p.lang, errKey)
	}
	render(w, status, signInPage, page)
}

// renderCode shows a manual sign-in's code.
func (s *Server) renderCode(w http.ResponseWriter, id string, p *pendingSignIn) {
	page := s.newPage(p.lang, "code.title", s.pendingLinks(id, p, false))
	page.Intro = text(p.lang, "code.intro", int(s.cfg.CodeTTL/time.Minute))
	page.Code = p.code
	page.Context = text(p.lang, "code.group", p.tokenGroup, p.hinID)
	page.Copy, page.Copied, page.Selected = text(p.lang, "code.copy"), text(p.lang, "code.copied"), text(p.lang, "code.selected")
	page.Script = s.basePath + pathCopyScript
	render(w, http.StatusOK, codePage, page)
}

// renderConsent asks the Yes/No question of a grant sign-in.
func (s *Server) renderConsent(w http.ResponseWriter, id string, p *pendingSignIn) {
	page := s.newPage(p.lang, "consent.title", s.pendingLinks(id, p, false))
	page.Action = s.basePath + pathConsent
	page.Pending = id
	page.Question = text(p.lang, "consent.question", clientName(p.client), p.tokenGroup, p.hinID)
	page.Yes, page.No = text(p.lang, "consent.yes"), text(p.lang, "consent.no")
	render(w, http.StatusOK, consentPage, page)
}

func clientName(c Client) string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}
