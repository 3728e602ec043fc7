package analyzer

// Location is a second place a finding concerns (the call that passed the
// data, the require that loaded the module), with a message saying why.
// Reports show it next to the finding: SARIF as relatedLocations, JSON as
// "related". File is empty when the place is in the finding's own file.
type Location struct {
	File       string
	Start, End Position
	Message    string
}
