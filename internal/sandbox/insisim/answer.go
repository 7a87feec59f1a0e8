package insisim

import (
	"errors"
	"strings"
)

// errInvalidTraits refuses what INSi refuses (lexical rules, formats).
//
//lint:ignore ST1005 the French text of INSi's fault, sent to the client as is
var errInvalidTraits = errors.New("Traits invalides : caractères ou formats non admis")

func (s *Server) answerTraits(q *TraitsQuery) ([]byte, error) {
	names := strings.Join(q.FirstNames, " ")
	if !lexicalOK(q.BirthName, 2) || (names != "" && !lexicalOK(names, 1)) ||
		(q.Sex != "M" && q.Sex != "F") || !reDate.MatchString(q.BirthDate) ||
		(q.BirthPlace != "" && !reCOG.MatchString(q.BirthPlace)) {
		return nil, errInvalidTraits
	}
	var hits []Identity
	code := "01"
	for _, id := range s.cfg.Identities {
		if id.BirthName != q.BirthName || id.Sex != q.Sex || id.BirthDate != q.BirthDate {
			continue
		}
		if q.BirthPlace != "" && id.BirthCOG != "" && id.BirthCOG != q.BirthPlace {
			continue
		}
		switch id.answer(names) {
		case "00":
			hits = append(hits, id)
		case "02":
			code = "02"
		}
	}
	switch {
	case len(hits) == 1 && code != "02":
		return resultBody("00", &hits[0]), nil
	case len(hits) > 1 || code == "02":
		return resultBody("02", nil), nil
	}
	return resultBody("01", nil), nil
}

func (s *Server) answerCard(q *CardQuery) ([]byte, error) {
	if !reNum.MatchString(q.Holder) || (q.Individual != "" && !reNum.MatchString(q.Individual)) ||
		!lexicalOK(q.BirthName, 2) || !reDate.MatchString(q.BirthDate) {
		return nil, errInvalidTraits
	}
	for _, id := range s.cfg.Identities {
		if id.INS == nil || id.BirthName != q.BirthName || id.BirthDate != q.BirthDate {
			continue
		}
		if id.INS.Num == q.Individual || (q.Individual == "" && id.INS.Num == q.Holder) {
			return resultBody("00", &id), nil
		}
	}
	return resultBody("01", nil), nil
}
