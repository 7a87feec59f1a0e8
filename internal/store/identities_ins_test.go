package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/vigilance"
)

// The patient-identity tests run on every backend, like the suite in
// store_test.go, from a file of their own.
func TestPatientIdentities(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, db database)
	}{
		{"SaveAndRead", testSaveINSiResult},
		{"SaveAgain", testSaveINSiResultAgain},
		{"Qualify", testQualifyIdentity},
		{"QualifyRefused", testQualifyRefused},
		{"QualifyOnce", testQualifyConcurrent},
		{"Mark", testMarkIdentity},
		{"UsedNames", testUsedNames},
	}
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			if b.fresh == nil {
				t.Skip("TEST_DATABASE_URL is not set")
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					c.run(t, b.fresh(t))
				})
			}
		})
	}
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// ecetinsi is the INSi answer for ECETINSI PIERRE-ALAIN (reference §2.7),
// with its history.
func ecetinsi(account int64) store.INSiResult {
	return store.INSiResult{
		AccountID: account, Operation: "insi-traits", MessageID: "uuid:11111111-2222-4333-8444-555555555555", Code: "00",
		BirthName: "ECETINSI", GivenNames: "PIERRE-ALAIN MURIEL FLORIANT", Sex: "M", BirthDate: day("2009-07-14"), BirthPlace: "63220",
		INS: store.INS{Matricule: "1090763220834", Key: "89", OID: vigilance.OIDNIR},
		History: []store.INS{
			{Matricule: "2090763220834", Key: "39", OID: vigilance.OIDNIR, Start: day("2019-03-01"), End: day("2019-02-28")},
			{Matricule: "2090663220123", Key: "55", OID: vigilance.OIDNIR},
		},
	}
}

func account(t *testing.T, s *store.Store, login string) int64 {
	t.Helper()
	a, err := s.CreateAccount(context.Background(), store.Account{Login: login})
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// lastAudit returns the account's audit rows, newest first.
func audits(t *testing.T, s *store.Store, accountID int64) []store.Lookup {
	t.Helper()
	got, err := s.RecentLookups(context.Background(), accountID, 100)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func testSaveINSiResult(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a := account(t, s, "751234567")
	got, err := s.SaveINSiResult(ctx, ecetinsi(a))
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == 0 || got.Status != vigilance.Recuperee || got.Attributes != (vigilance.Attributes{}) || got.Qualification != nil {
		t.Errorf("saved %+v", got)
	}
	if got.BirthName != "ECETINSI" || got.GivenNames != "PIERRE-ALAIN MURIEL FLORIANT" || got.FirstGivenName != "PIERRE-ALAIN" ||
		got.Sex != "M" || !got.BirthDate.Equal(day("2009-07-14")) || got.BirthPlace != "63220" {
		t.Errorf("traits %+v", got)
	}
	if got.UsedName != "" || got.UsedGivenName != "" {
		t.Error("used names were filled automatically")
	}
	if got.INS.Matricule != "1090763220834" || got.INS.Key != "89" || got.INS.OID != vigilance.OIDNIR {
		t.Errorf("INS %+v", got.INS)
	}
	// The history as returned, in order, odd dates included.
	if len(got.History) != 2 || got.History[0].Matricule != "2090763220834" || !got.History[0].End.Equal(day("2019-02-28")) ||
		got.History[1].Key != "55" || !got.History[1].Start.IsZero() {
		t.Errorf("history %+v", got.History)
	}
	if got.INSiCode != "00" || got.INSiMessageID != "uuid:11111111-2222-4333-8444-555555555555" || got.RetrievedBy != a || got.RetrievedAt.IsZero() {
		t.Errorf("retrieval %+v", got)
	}
	read, err := s.PatientIdentityByID(ctx, got.ID)
	if err != nil || read.INS != got.INS || len(read.History) != 2 {
		t.Errorf("by id: %+v %v", read, err)
	}
	byINS, err := s.PatientIdentityByINS(ctx, "1090763220834", vigilance.OIDNIR)
	if err != nil || byINS.ID != got.ID {
		t.Errorf("by INS: %+v %v", byINS, err)
	}
	_, err = s.PatientIdentityByID(ctx, got.ID+100)
	mustErr(t, "unknown id", err, store.ErrNotFound)
	_, err = s.PatientIdentityByINS(ctx, "1090763220834", vigilance.OIDNIA)
	mustErr(t, "other OID", err, store.ErrNotFound)
	// One audit row: operation, code, message id; never a trait.
	rows := audits(t, s, a)
	if len(rows) != 1 || rows[0].Kind != "insi-traits" || rows[0].Outcome != "00" || rows[0].Identifier != "uuid:11111111-2222-4333-8444-555555555555" {
		t.Fatalf("audit %+v", rows)
	}
	// Answers without an identity are not kept, nor audited here.
	for _, r := range []store.INSiResult{{AccountID: a, Code: "01"}, {AccountID: a, Code: "02"}, {AccountID: a, Code: "00"}} {
		_, err := s.SaveINSiResult(ctx, r)
		mustErr(t, "code "+r.Code, err, store.ErrNoINSIdentity)
	}
	if len(audits(t, s, a)) != 1 {
		t.Error("an answer without identity was audited by the store")
	}
	// An unknown account is refused and nothing is kept.
	bad := ecetinsi(a + 100)
	bad.INS.Matricule = "2751263220749"
	_, err = s.SaveINSiResult(ctx, bad)
	mustErr(t, "unknown account", err, store.ErrNotFound)
	_, err = s.PatientIdentityByINS(ctx, "2751263220749", vigilance.OIDNIR)
	mustErr(t, "rolled back", err, store.ErrNotFound)
}

func testSaveINSiResultAgain(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a := account(t, s, "751234567")
	first, err := s.SaveINSiResult(ctx, ecetinsi(a))
	if err != nil {
		t.Fatal(err)
	}
	// Same INS again, with a shorter history: one identity, history as now returned.
	again := ecetinsi(a)
	again.MessageID = "uuid:again"
	again.History = again.History[:1]
	got, err := s.SaveINSiResult(ctx, again)
	if err != nil || got.ID != first.ID || len(got.History) != 1 || got.INSiMessageID != "uuid:again" {
		t.Fatalf("again: %+v %v", got, err)
	}
	// Qualified, then the same traits again: stays qualified.
	if _, err := s.QualifyIdentity(ctx, got.ID, vigilance.CarteIdentite, a); err != nil {
		t.Fatal(err)
	}
	got, err = s.SaveINSiResult(ctx, again)
	if err != nil || got.Status != vigilance.Qualifiee || got.Qualification == nil {
		t.Fatalf("same traits: %+v %v", got, err)
	}
	// Traits changed at INSi: back to récupérée, qualification dropped.
	changed := again
	changed.GivenNames = "PIERRE-ALAIN MURIEL"
	got, err = s.SaveINSiResult(ctx, changed)
	if err != nil || got.Status != vigilance.Recuperee || got.Qualification != nil || got.FirstGivenName != "PIERRE-ALAIN" {
		t.Fatalf("changed traits: %+v %v", got, err)
	}
	// Marked douteuse: a new answer is refused, and the refusal audited.
	if _, err := s.MarkIdentity(ctx, got.ID, vigilance.Attributes{Douteuse: true}, a); err != nil {
		t.Fatal(err)
	}
	_, err = s.SaveINSiResult(ctx, again)
	mustErr(t, "douteuse", err, vigilance.ErrBlocked)
	rows := audits(t, s, a)
	if rows[0].Kind != "insi-traits" || !strings.HasPrefix(rows[0].Outcome, "00 refused") {
		t.Errorf("refusal audit %+v", rows[0])
	}
	kept, _ := s.PatientIdentityByID(ctx, got.ID)
	if kept.Status != vigilance.Provisoire || kept.GivenNames != "PIERRE-ALAIN MURIEL" {
		t.Errorf("a refused answer changed the identity: %+v", kept)
	}
}

func testQualifyIdentity(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a := account(t, s, "751234567")
	q := account(t, s, "131234568")
	saved, err := s.SaveINSiResult(ctx, ecetinsi(a))
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().Add(-time.Second)
	got, err := s.QualifyIdentity(ctx, saved.ID, vigilance.Passeport, q)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != vigilance.Qualifiee || !got.Vigilance().Shareable() || got.Qualification == nil ||
		got.Qualification.Document != vigilance.Passeport || got.Qualification.AccountID != q || got.Qualification.At.Before(before.Truncate(time.Second)) {
		t.Fatalf("qualified %+v %+v", got, got.Qualification)
	}
	if got.RetrievedBy != a {
		t.Error("qualification changed who retrieved the identity")
	}
	rows := audits(t, s, q)
	if len(rows) != 1 || rows[0].Kind != store.AuditQualify || rows[0].Outcome != "QUAL PA" || rows[0].Identifier != "patient-identity:"+itoa(saved.ID) {
		t.Errorf("audit %+v", rows)
	}
	// Once: a second qualification is refused and the first kept.
	_, err = s.QualifyIdentity(ctx, saved.ID, vigilance.CarteIdentite, a)
	mustErr(t, "twice", err, vigilance.ErrAlreadyQualified)
	kept, _ := s.PatientIdentityByID(ctx, saved.ID)
	if kept.Qualification.Document != vigilance.Passeport || kept.Qualification.AccountID != q {
		t.Errorf("the first qualification was replaced: %+v", kept.Qualification)
	}
	_, err = s.QualifyIdentity(ctx, saved.ID+100, vigilance.CarteIdentite, a)
	mustErr(t, "unknown identity", err, store.ErrNotFound)
}

func testQualifyRefused(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a := account(t, s, "751234567")
	tests := []struct {
		name  string
		attrs vigilance.Attributes
		doc   vigilance.Document
		want  error
		audit string
	}{
		{"douteuse", vigilance.Attributes{Douteuse: true}, vigilance.CarteIdentite, vigilance.ErrBlocked, "refused: douteuse or fictive"},
		{"fictive", vigilance.Attributes{Fictive: true}, vigilance.CarteIdentite, vigilance.ErrBlocked, "refused: douteuse or fictive"},
		{"douteuse homonyme", vigilance.Attributes{Douteuse: true, Homonyme: true}, vigilance.Passeport, vigilance.ErrBlocked, "refused: douteuse or fictive"},
		{"driving licence", vigilance.Attributes{}, vigilance.PermisConduire, vigilance.ErrLowTrust, "refused: document not high-trust"},
		{"unknown document", vigilance.Attributes{}, "ZZ", vigilance.ErrUnknownDocument, "refused: unknown document"},
	}
	for i, tt := range tests {
		r := ecetinsi(a)
		r.INS.Matricule = "10907632208" + itoa(int64(10+i))
		saved, err := s.SaveINSiResult(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if tt.attrs != (vigilance.Attributes{}) {
			if _, err := s.MarkIdentity(ctx, saved.ID, tt.attrs, a); err != nil {
				t.Fatal(err)
			}
		}
		_, err = s.QualifyIdentity(ctx, saved.ID, tt.doc, a)
		mustErr(t, tt.name, err, tt.want)
		got, _ := s.PatientIdentityByID(ctx, saved.ID)
		if got.Status == vigilance.Qualifiee || got.Qualification != nil {
			t.Errorf("%s: qualified anyway: %+v", tt.name, got)
		}
		rows := audits(t, s, a)
		if rows[0].Kind != store.AuditQualify || rows[0].Outcome != tt.audit {
			t.Errorf("%s: audit %+v", tt.name, rows[0])
		}
	}
}

// Two professionals qualifying at once: one wins, the other is told so.
func testQualifyConcurrent(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a := account(t, s, "751234567")
	saved, err := s.SaveINSiResult(ctx, ecetinsi(a))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.QualifyIdentity(ctx, saved.ID, vigilance.CarteIdentite, a)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, vigilance.ErrAlreadyQualified):
			t.Errorf("%v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d qualifications succeeded", ok)
	}
}

func testMarkIdentity(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a := account(t, s, "751234567")
	saved, err := s.SaveINSiResult(ctx, ecetinsi(a))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.MarkIdentity(ctx, saved.ID, vigilance.Attributes{Homonyme: true}, a)
	if err != nil || got.Status != vigilance.Recuperee || !got.Attributes.Homonyme {
		t.Fatalf("homonyme: %+v %v", got, err)
	}
	if _, err := s.QualifyIdentity(ctx, saved.ID, vigilance.CarteIdentite, a); err != nil {
		t.Fatalf("a homonyme may be qualified: %v", err)
	}
	got, err = s.MarkIdentity(ctx, saved.ID, vigilance.Attributes{Fictive: true}, a)
	if err != nil || got.Status != vigilance.Provisoire || got.Qualification != nil || got.Vigilance().Shareable() {
		t.Fatalf("fictive: %+v %v", got, err)
	}
	_, err = s.MarkIdentity(ctx, saved.ID, vigilance.Attributes{Fictive: true, Homonyme: true}, a)
	mustErr(t, "fictive and homonyme", err, vigilance.ErrAttributes)
	rows := audits(t, s, a)
	if rows[0].Kind != store.AuditMark || rows[0].Outcome != "fictive" {
		t.Errorf("audit %+v", rows[0])
	}
	_, err = s.MarkIdentity(ctx, saved.ID+100, vigilance.Attributes{}, a)
	mustErr(t, "unknown identity", err, store.ErrNotFound)
}

func testUsedNames(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a := account(t, s, "751234567")
	saved, err := s.SaveINSiResult(ctx, ecetinsi(a))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetUsedNames(ctx, saved.ID, " DUPONT ", "PIERRE"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.PatientIdentityByID(ctx, saved.ID)
	if got.UsedName != "DUPONT" || got.UsedGivenName != "PIERRE" || got.BirthName != "ECETINSI" {
		t.Errorf("%+v", got)
	}
	// A new INSi answer leaves the typed used names alone.
	got, _ = s.SaveINSiResult(ctx, ecetinsi(a))
	if got.UsedName != "DUPONT" {
		t.Errorf("used name lost: %+v", got)
	}
	mustErr(t, "unknown identity", s.SetUsedNames(ctx, saved.ID+100, "", ""), store.ErrNotFound)
}

func itoa(n int64) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
