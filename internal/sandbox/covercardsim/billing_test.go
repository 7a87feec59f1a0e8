package covercardsim

import (
	"bytes"
	"testing"

	"github.com/infopatient/infopatient/internal/covercard"
)

// The invalid card answers a code other than 0 and 67 with the person,
// the insurer's billing address and a debtor, as clients must show them.
func TestInvalidCardCarriesPersonBillingAddressAndDebtor(t *testing.T) {
	h := newHarness(t)
	doc, err := decode(h.lookup("80756000000000000009", "2", "good#+token").Body)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"validCard": "12",
		"CH-Baseinformation/identificationData/name/firstName":                                "Elise",
		"CH-Baseinformation/nationalExtension/insurerInformation/billingAddress/addressLine1": "Case postale 1560",
		"CH-Baseinformation/nationalExtension/insurerInformation/billingAddress/swissZipCode": "1001",
		"CH-Baseinformation/nationalExtension/insurerInformation/billingAddress/town":         "Lausanne",
		"CH-Baseinformation/ofacExtension/debNomAddress/officialName":                         "Rochat",
		"CH-Baseinformation/ofacExtension/debNomAddress/firstName":                            "Marc",
		"CH-Baseinformation/ofacExtension/debmailAddress/town":                                "Neuchâtel",
	} {
		if got := doc.get(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	// A card without them sends neither element.
	doc, _ = decode(h.lookup(cardSuspended, "1", "good#+token").Body)
	if doc.has("CH-Baseinformation/nationalExtension/insurerInformation/billingAddress/town") || doc.has("CH-Baseinformation/ofacExtension/debNomAddress/officialName") {
		t.Error("billing address or debtor sent for a card that has none")
	}
}

func TestInvalidScenarioNeedsACode(t *testing.T) {
	p := shippedCards(t)[0].Person
	for _, code := range []string{"", "0", "67"} {
		if err := (Card{Number: "80756000000000000009", Scenario: ScenarioInvalid, ValidCard: code, Person: p}).check(); err == nil {
			t.Errorf("invalid scenario with code %q accepted", code)
		}
	}
	if err := (Card{Number: "80756000000000000009", Scenario: ScenarioInvalid, ValidCard: "12"}).check(); err == nil {
		t.Error("invalid scenario without person accepted")
	}
}

// The portal's decoder reads the simulator's answer as intended: the
// invalid card keeps its person, the code's meaning, the billing address
// and the debtor.
func TestPortalDecoderReadsInvalidCard(t *testing.T) {
	h := newHarness(t)
	a := h.lookup("80756000000000000009", "2", "good#+token")
	res, err := covercard.DecodeAt(bytes.NewReader(a.Body), a.Header.Get("Content-Type"), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != covercard.Invalid || covercard.CardCodeMeaning(res.ValidCardCode) != "not_valid" || res.Person == nil {
		t.Fatalf("%+v", res)
	}
	p := res.Person
	if p.GivenName != "Elise" || p.InsurerContact.BillingAddress == nil || p.InsurerContact.BillingAddress.ZipCode != "1001" ||
		p.Debtor == nil || p.Debtor.GivenName != "Marc" || p.Invoicing() != covercard.InvoicingDebtor {
		t.Errorf("person %+v", p)
	}
}
