package analyzer

// AnalyzeStrict analyses with the reference solver that repeats passes
// until nothing changes at all.
func AnalyzeStrict(name string, src []byte, cfg Options) []Finding {
	cfg.strict = true
	return Analyze(name, src, &cfg)
}
