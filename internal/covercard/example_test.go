package covercard_test

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/infopatient/infopatient/internal/covercard"
)

func ExampleParseCardNumber() {
	card, err := covercard.ParseCardNumber("80756 01560 00123 45678\r\n") // as a scanner types it
	fmt.Println(card, err)
	_, err = covercard.ParseCardNumber("80276001234567890123")
	fmt.Println(errors.Is(err, covercard.ErrNotSwissCard))
	// Output:
	// 80756015600012345678 <nil>
	// true
}

func ExampleDecodeAt() {
	f, err := os.Open("testdata/vvg-only.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	today := time.Date(2026, time.March, 14, 9, 0, 0, 0, time.UTC)
	res, err := covercard.DecodeAt(f, "text/xml; charset=UTF-8", today)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := res.Person
	fmt.Println(res.Outcome, p.GivenName, p.FamilyName, p.Address.Town, p.AHVFormatted())
	for _, v := range p.VVG {
		fmt.Println(v.Name, v.Expiry.Format("2006-01-02"))
	}
	// Output:
	// vvg_only Jonas Keller Zürich 756.3000.1112.28
	// Léman Complémentaire SA 2029-06-30
	// Alpina Zusatz AG 2028-01-31
}
