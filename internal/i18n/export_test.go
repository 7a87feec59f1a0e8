package i18n

import "sort"

// Keys lists the language's message keys, sorted.
func (l *Localizer) Keys() []string {
	keys := make([]string, 0, len(l.messages))
	for k := range l.messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
