package sandbox

// Demo is what the index lists of the demo portal the sandbox serves: its
// local accounts and the password they share, and the numbers of its
// patients, so that a presenter finds every way in on one page. The
// portal hands them over (the sandbox imports nothing of it); a sandbox
// beside a portal of its own (infopatient sandbox) lists none.
type Demo struct {
	Password string
	Accounts []DemoAccount
	Patients []DemoPatient
}

// DemoAccount is a local account of the demo portal.
type DemoAccount struct {
	// Login is what the sign-in form asks; Name and Profession are who
	// it is (the profession as the portal's data names it, in French).
	Login, Name, Profession string
	// PSC and HIN are the identities linked from the start (idNat,
	// hin_id): their sign-in goes straight through.
	PSC, HIN string
	// GLN is the account's GLN: the HIN identity whose directory profile
	// carries it is linked at its first sign-in.
	GLN string
}

// DemoPatient is a patient the demo portal finds by NIR.
type DemoPatient struct {
	// NIR is the 13-character number, without its key; BirthDate
	// (YYYY-MM-DD) is typed beside it, and names the ADRi record.
	NIR, Name, BirthDate string
	// ALD: a long-term condition; RightsUntil (YYYY-MM-DD) is set when the
	// patient's rights end or ended.
	ALD         bool
	RightsUntil string
}

// isDemoPatient says whether the demo section already lists the ADRi
// record of assuré nir born on birthDate.
func (d Demo) isDemoPatient(nir, birthDate string) bool {
	for _, p := range d.Patients {
		if p.NIR == nir && p.BirthDate == birthDate {
			return true
		}
	}
	return false
}

// groupNIR writes a NIR as the carte Vitale prints it: 2 84 02 75 115 023.
// Anything not 13 characters long is left as it is.
func groupNIR(n string) string {
	if len(n) != 13 {
		return n
	}
	return n[:1] + " " + n[1:3] + " " + n[3:5] + " " + n[5:7] + " " + n[7:10] + " " + n[10:]
}
