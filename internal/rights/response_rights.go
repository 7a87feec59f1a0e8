package rights

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/infopatient/infopatient/internal/nir"
)

func decodeRights(resp *wireResponse) (*Rights, error) {
	b := resp.Beneficiaire
	if b == nil || resp.Globales == nil {
		return nil, fmt.Errorf("%w: no beneficiaireDeSoins or infosGlobales", ErrMalformed)
	}
	out := &Rights{}
	var err error
	bad := func(field string, e error) error { return fmt.Errorf("%w: %s: %v", ErrMalformed, field, e) }
	if out.ResponseDate, err = optionalDate(resp.DateReponse); err != nil {
		return nil, bad("dateReponse", err)
	}
	if out.ReferenceDate, err = requiredDate(resp.DateReference); err != nil {
		return nil, bad("dateReference", err)
	}
	ben := Beneficiary{
		UsualName: strings.TrimSpace(b.NomUsuel), BirthName: strings.TrimSpace(b.NomPatronymique),
		GivenName: strings.TrimSpace(b.Prenom), Quality: strings.TrimSpace(b.Qualite),
	}
	for _, a := range []string{b.Adresse1, b.Adresse2, b.Adresse3, b.Adresse4, b.Adresse5} {
		if a = strings.TrimSpace(a); a != "" {
			ben.Address = append(ben.Address, a)
		}
	}
	if s := strings.TrimSpace(b.NoNIRCertifie); s != "" {
		n, err := nir.Parse(s)
		if err != nil {
			return nil, bad("noNIRCertifie", err)
		}
		ben.CertifiedNIR, ben.CertifiedNIRKey = n.String(), n.Key()
	}
	if ben.BirthDate, err = requiredDate(b.DateNaissance); err != nil {
		return nil, bad("dateNaissance", err)
	}
	if ben.Rank, err = strconv.Atoi(strings.TrimSpace(b.RangGemellaire)); err != nil || ben.Rank < 1 || ben.Rank > 9 {
		return nil, bad("rangGemellaire", errors.New("not 1–9"))
	}
	if ben.Quality != "" && !digits(ben.Quality, 1) {
		return nil, bad("qualite", errors.New("not one digit"))
	}
	out.Beneficiary = ben
	switch strings.TrimSpace(b.TopMedecinTraitant) {
	case "", "0":
	case "1":
		out.AttendingDoctor.Declared = true
	default:
		return nil, bad("topMedecinTraitant", errors.New("not 0 or 1"))
	}
	out.AttendingDoctor.Name = strings.TrimSpace(b.NomMedecinTraitant)
	if out.AttendingDoctor.Name != "" {
		out.AttendingDoctor.Declared = true
	}
	for i, p := range b.PeriodesAMO {
		per, err := period(p.DateDebut, p.DateFin)
		if err != nil {
			return nil, bad("periodeAMO "+strconv.Itoa(i+1), err)
		}
		out.AMO = append(out.AMO, per)
	}
	for i, c := range b.Couvertures {
		per, err := period(c.DateDebut, c.DateFin)
		if err != nil {
			return nil, bad("periodeCodeCouverture "+strconv.Itoa(i+1), err)
		}
		nature := strings.TrimSpace(c.NatureAssurance)
		switch nature {
		case "", "AM", "MAT", "AT":
		default:
			return nil, bad("natureAssurance", errors.New("not AM, MAT or AT"))
		}
		out.Coverage = append(out.Coverage, CoveragePeriod{Period: per, Group: strings.TrimSpace(c.Groupe),
			ALDCode: strings.TrimSpace(c.CodeALD), SituationCode: strings.TrimSpace(c.CodeSituation), Nature: nature})
	}
	g := resp.Globales
	out.Regime, out.RegimeLabel = strings.TrimSpace(g.CodeRegime), strings.TrimSpace(g.LibelleRegime)
	out.Caisse, out.CaisseLabel = strings.TrimSpace(g.CodeCaisse), strings.TrimSpace(g.LibelleCaisse)
	out.Centre = strings.TrimSpace(g.CentrePrestation)
	if !digits(out.Regime, 2) {
		return nil, bad("codeRegime", errors.New("not 2 digits"))
	}
	if !digits(out.Caisse, 3) {
		return nil, bad("codeCaisse", errors.New("not 3 digits"))
	}
	if out.Centre != "" && !(len(out.Centre) <= 4 && digits(out.Centre, len(out.Centre))) {
		return nil, bad("centrePrestation", errors.New("not 1–4 digits"))
	}
	for i, m := range resp.Mutuelles {
		kind := ComplementaryKind(strings.TrimSpace(m.Type))
		switch kind {
		case C2S, AME, Mutuelle:
		default:
			return nil, bad("typeComplementaire "+strconv.Itoa(i+1), errors.New("not C2S, AME or AMC"))
		}
		c := Complementary{Kind: kind, Number: strings.TrimSpace(m.NoIdentification), Label: strings.TrimSpace(m.Libelle)}
		for _, p := range m.Periodes {
			per, err := period(p.DateDebut, p.DateFin)
			if err != nil {
				return nil, bad("periodeMutuelle", err)
			}
			c.Periods = append(c.Periods, per)
		}
		out.Complementary = append(out.Complementary, c)
	}
	return out, nil
}

func requiredDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errMissing
	}
	return optionalDate(s)
}

func optionalDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, errors.New("not a YYYY-MM-DD date")
	}
	return d, nil
}

func period(start, end string) (Period, error) {
	s, err := requiredDate(start)
	if err != nil {
		return Period{}, fmt.Errorf("dateDebut: %w", err)
	}
	e, err := optionalDate(end)
	if err != nil {
		return Period{}, fmt.Errorf("dateFin: %w", err)
	}
	if !e.IsZero() && e.Before(s) {
		return Period{}, errors.New("dateFin before dateDebut")
	}
	return Period{Start: s, End: e}, nil
}
