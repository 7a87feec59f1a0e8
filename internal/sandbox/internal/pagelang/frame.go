package pagelang

// Chrome is what every simulator page shows around its content, in the
// page's language: its title, stylesheet, test banner, the masthead's
// tag and the language switcher. Each simulator's page data embeds it.
type Chrome struct {
	Lang, Title, Stylesheet string
	// Banner says it is a test environment; Brand tags the masthead.
	Banner, Brand  string
	LanguagesLabel string
	Languages      []Link
}

// Look is what sets one simulator's pages apart around their content.
type Look struct {
	// Class names the body's sim-<Class>, which the stylesheet themes.
	Class string
	// TitlePrefix goes before the page's title in the browser's tab.
	TitlePrefix string
	// Mark and Name are the masthead's brand.
	Mark, Name string
	// BrandIsHeading makes the brand the page's h1 (PSC's pages, whose
	// cards have only h2s).
	BrandIsHeading bool
	// BannerTestID and HeaderTestID name the banner and the masthead for
	// the browser tests; the masthead has none when empty.
	BannerTestID, HeaderTestID string
}
