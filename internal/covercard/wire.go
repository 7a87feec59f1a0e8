package covercard

// The wire types mirror the Covercard answer (ReturnType 42a). Tags carry
// local names only, so elements match whatever their namespace prefix
// (the default namespace is http://www.ofac.ch/XEDO); the root element is
// not named, so any root is accepted. Elements not listed are ignored.

type wireResponse struct {
	CardNoVeka  string    `xml:"cardNoVeka"`
	QueryNumber string    `xml:"queryNumber"`
	ValidCard   *string   `xml:"validCard"`
	Base        *wireBase `xml:"CH-Baseinformation"`
}

type wireBase struct {
	Identification struct {
		OfficialName string `xml:"name>officialName"`
		FirstName    string `xml:"name>firstName"`
		BirthDate    string `xml:"dateOfBirth>yearMonthDay"`
		AHV          string `xml:"cardholderIdentifier"`
		Sex          string `xml:"sex"`
	} `xml:"identificationData"`
	Administrative struct {
		InstitutionName     string `xml:"nameOfTheInstitution"`
		InstitutionNumber   string `xml:"identificationNumberOfTheInstitution"`
		CardNumber          string `xml:"coverCardNo"`
		InsuredPersonNumber string `xml:"insuredPersonNumber"`
		InsuredNumber       string `xml:"insuredNumber"`
		ExpiryDate          string `xml:"expiryDate"`
	} `xml:"administrativeData"`
	National struct {
		MailAddress wireAddress      `xml:"mailAddress"`
		KVG         *wireKVG         `xml:"KVGInformation"`
		Insurer     wireInsurer      `xml:"insurerInformation"`
		VVG         []wireVVGInsurer `xml:"VVGInformation>VVGinsurerInformation"`
	} `xml:"nationalExtension"`
	Ofac struct {
		CoverageRestriction *string `xml:"medicalServiceCoverageRestriction"`
		ValidityDate        string  `xml:"validityDate"`
		// The debtor: who receives the practitioner's bill when it is not
		// the insured person (Elexis reads these two elements).
		DebtorName *struct {
			OfficialName string `xml:"officialName"`
			FirstName    string `xml:"firstName"`
		} `xml:"debNomAddress"`
		DebtorAddress *wireAddress `xml:"debmailAddress"`
	} `xml:"ofacExtension"`
}

type wireKVG struct {
	LanguageRegion string  `xml:"languageRegion"`
	Base           *string `xml:"KVGBase"`
	Model          string  `xml:"KVGModel"`
	ModelText      string  `xml:"KVGModelText"`
	Canton         string  `xml:"KVGcanton>KVGcanton"`
	ForeignCountry string  `xml:"KVGcanton>foreignCountry"`
	Accident       string  `xml:"KVGaccidentCoverage"`
}

type wireInsurer struct {
	Phone struct {
		Number            string `xml:"number,attr"`
		LocalCode         string `xml:"local-code,attr"`
		InternationalCode string `xml:"international-code,attr"`
	} `xml:"contactNumberGerman"`
	Email   string       `xml:"contactEmailAddress"`
	EAN     string       `xml:"contactEanNumber"`
	Billing *wireAddress `xml:"billingAddress"`
}

// wireAddress is a postal address: mailAddress, billingAddress, debmailAddress.
type wireAddress struct {
	Line1   string `xml:"addressLine1"`
	Town    string `xml:"town"`
	ZipCode string `xml:"swissZipCode"`
	Country string `xml:"country"`
}

type wireVVGInsurer struct {
	Name                string      `xml:"nameOfVVGInsurer"`
	BAGNumber           string      `xml:"identificationNumberOfVVGInsurer"`
	CardNumber          string      `xml:"coverCardNo"`
	InsuredPersonNumber string      `xml:"insuredPersonNumber"`
	InsuredNumber       string      `xml:"insuredNumber"`
	ExpiryDate          string      `xml:"expiryDate"`
	Insurer             wireInsurer `xml:"insurerInformation"`
}
