package analyzer

// Pass is what a rule receives for one file.
type Pass struct{}
