package sandbox

// Catalogue is the index page's messages, for the catalogue test.
var Catalogue = catalogue()
