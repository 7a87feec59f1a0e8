package web

import (
	"github.com/infopatient/infopatient/internal/commune"
	"github.com/infopatient/infopatient/views"
)

// maxCommunes bounds the birthplace picker's choices.
const maxCommunes = 12

// communes is the list, nil without one. The embedded list cannot fail
// to parse once its tests pass; were it to, the picker offers nothing and
// the log says why.
func (s *Server) communes() *commune.List {
	if s.Communes == nil {
		return nil
	}
	l, err := s.Communes()
	if err != nil {
		s.Logger.Error("commune list", "err", err)
		return nil
	}
	return l
}

// communeName is the name of a COG, "" when the list lacks it (a country).
func (s *Server) communeName(code string) string {
	l := s.communes()
	if l == nil {
		return ""
	}
	return l.Name(code)
}

func (s *Server) communeOptions(q string) []views.CommuneOption {
	l := s.communes()
	if l == nil {
		return nil
	}
	var out []views.CommuneOption
	for _, c := range l.Search(q, maxCommunes) {
		out = append(out, views.CommuneOption{Code: c.Code, Name: c.Name, Department: c.Department, Former: c.Kind == commune.Former})
	}
	return out
}
