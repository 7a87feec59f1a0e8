package pscsim

// Catalogue is the pages' messages, for the catalogue test.
var Catalogue = catalogue()
