package web

import (
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// The views render their own structs, never the store's: what a page
// shows of a record is chosen here, and a column added to the store
// reaches no page by accident.

func accountView(a store.Account) views.AccountView {
	return views.AccountView{Login: a.Login, GivenName: a.GivenName, FamilyName: a.FamilyName, Profession: a.Profession, RPPS: a.RPPS}
}

func identityViews(ids []store.Identity) []views.IdentityView {
	out := make([]views.IdentityView, 0, len(ids))
	for _, id := range ids {
		out = append(out, views.IdentityView{Authority: id.Provider, Subject: id.Subject})
	}
	return out
}

func lookupRows(ls []store.Lookup) []views.LookupRow {
	out := make([]views.LookupRow, 0, len(ls))
	for _, l := range ls {
		out = append(out, historyRow(l))
	}
	return out
}
