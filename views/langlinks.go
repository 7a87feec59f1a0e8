package views

import (
	"context"
	"io"

	"github.com/a-h/templ"
)

// langLink is one link of the language switch, for the language code it
// is, written directly: through templ's { } expressions its five values
// cost two allocations each (templ passes every string through
// fmt.Sprint), a sixth of a signed-in page's allocations for the three
// links.
type langLink string

func (code langLink) Render(ctx context.Context, w io.Writer) error {
	c := string(code)
	current := "false"
	if c == lang(ctx) {
		current = "true"
	}
	for _, s := range [...]string{
		`<a href="`, templ.EscapeString(langURL(ctx, c)),
		`" hreflang="`, templ.EscapeString(c),
		`" lang="`, templ.EscapeString(c),
		`" aria-current="`, current,
		`">`, templ.EscapeString(langName(c)), `</a>`,
	} {
		if _, err := io.WriteString(w, s); err != nil {
			return err
		}
	}
	return nil
}
