package pscsim

import (
	"strings"
	"time"
)

// localTime writes t with the page language's layout (a Go time layout
// from the catalogue), the month named in that language.
func localTime(lang, layout string, t time.Time) string {
	out := t.Format(layout)
	if lang != "en" && strings.Contains(layout, "January") {
		out = strings.Replace(out, t.Month().String(), monthNames[lang][t.Month()-1], 1)
	}
	return out
}

var monthNames = map[string][12]string{
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
}

// zoneName names the time zone of t: its abbreviation and UTC offset
// ("CET, UTC+01:00"), the offset alone where the zone has no
// abbreviation, "UTC" for UTC.
func zoneName(t time.Time) string {
	name, offset := t.Zone()
	utc := "UTC" + t.Format("-07:00")
	switch {
	case offset == 0 && (name == "UTC" || name == "GMT" || name == ""):
		return "UTC"
	case name == "" || strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-"):
		return utc
	default:
		return name + ", " + utc
	}
}

// parisOrUTC is Europe/Paris, the portal's time zone, or UTC where the
// zone database lacks it.
func parisOrUTC() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.UTC
}
