package i18n

import (
	"maps"
	"slices"
	"strings"
)

// Keys lists the language's message keys, sorted.
func (l *Localizer) Keys() []string { return slices.Sorted(maps.Keys(l.messages)) }

// Missing lists, per language, the keys that another language has and it
// lacks; the catalogue test fails on any.
func (c *Catalog) Missing() map[string][]string {
	all := map[string]bool{}
	for _, l := range c.localizers {
		for k := range l.messages {
			all[k] = true
		}
	}
	keys := slices.Sorted(maps.Keys(all))
	out := map[string][]string{}
	for lang, l := range c.localizers {
		for _, k := range keys {
			if strings.TrimSpace(l.messages[k]) == "" {
				out[lang] = append(out[lang], k)
			}
		}
	}
	return out
}
