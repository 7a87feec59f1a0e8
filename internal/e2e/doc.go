// Package e2e proves InfoPatient's journeys in a real browser: headless
// Chromium (Debian's chromium package) driven with chromedp, against the
// real server started in demo mode on a loopback port, with the sandbox's
// Pro Santé Connect, HIN and Covercard simulators mounted in the same
// process.
//
// The package holds only tests. They skip when no Chromium is installed,
// unless INFOPATIENT_BROWSER_TESTS=required (CI) makes that a failure.
// With INFOPATIENT_SCREENSHOTS=docs/screenshots the same harness also
// writes the screenshots of the main pages, at desktop and phone widths:
//
//	INFOPATIENT_SCREENSHOTS=docs/screenshots go test ./internal/e2e -run Screenshots
package e2e
