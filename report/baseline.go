package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/wrklint/wrklint/analyzer"
)

// Baseline is an earlier result: findings already known, matched by rule,
// file and fingerprint so that findings on lines that merely moved are
// still recognised.
type Baseline struct {
	// counts holds how many findings each key had, so that a second,
	// new occurrence of an identical finding is still reported.
	counts map[string]int
}

// baselineKey identifies a finding across runs. Files are compared as
// cleaned, slash-separated paths relative to the working directory.
func baselineKey(rule, file, fingerprint string) string {
	return rule + "\x00" + normalizePath(file) + "\x00" + fingerprint
}

func normalizePath(p string) string {
	p = strings.TrimPrefix(p, "file://")
	if filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
				p = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

// LoadBaseline reads a JSON or SARIF report written by wrklint.
func LoadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading baseline: %w", err)
	}
	b, err := ParseBaseline(data)
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	return b, nil
}

// ParseBaseline reads a JSON or SARIF report from data.
func ParseBaseline(data []byte) (*Baseline, error) {
	var probe struct {
		Version  json.RawMessage   `json:"version"`
		Runs     []json.RawMessage `json:"runs"`
		Findings []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("not a wrklint JSON or SARIF report: %w", err)
	}
	b := &Baseline{counts: map[string]int{}}
	switch {
	case probe.Runs != nil:
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID    string `json:"ruleId"`
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct {
								URI string `json:"uri"`
							} `json:"artifactLocation"`
						} `json:"physicalLocation"`
					} `json:"locations"`
					PartialFingerprints map[string]string `json:"partialFingerprints"`
					Suppressions        []json.RawMessage `json:"suppressions"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(data, &log); err != nil {
			return nil, fmt.Errorf("reading SARIF: %w", err)
		}
		for _, run := range log.Runs {
			for _, r := range run.Results {
				fp := r.PartialFingerprints["primaryLocationLineHash"]
				if len(r.Locations) == 0 || fp == "" {
					return nil, errors.New("a SARIF result has no location or no primaryLocationLineHash")
				}
				b.counts[baselineKey(r.RuleID, unescapeURI(r.Locations[0].PhysicalLocation.ArtifactLocation.URI), fp)]++
			}
		}
	case probe.Findings != nil:
		var rep struct {
			Findings []struct {
				Rule        string `json:"rule"`
				File        string `json:"file"`
				Fingerprint string `json:"fingerprint"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(data, &rep); err != nil {
			return nil, fmt.Errorf("reading JSON report: %w", err)
		}
		for _, f := range rep.Findings {
			if f.Fingerprint == "" {
				return nil, errors.New("a finding has no fingerprint (write the baseline with this version of wrklint)")
			}
			b.counts[baselineKey(f.Rule, f.File, f.Fingerprint)]++
		}
	default:
		return nil, errors.New("neither a wrklint JSON report (\"findings\") nor a SARIF log (\"runs\")")
	}
	return b, nil
}

func unescapeURI(u string) string {
	if p, err := url.PathUnescape(u); err == nil {
		return p
	}
	return u
}

// Filter returns the findings that are not in the baseline, in order.
func (b *Baseline) Filter(fs []analyzer.Finding) []analyzer.Finding {
	left := make(map[string]int, len(b.counts))
	for k, n := range b.counts {
		left[k] = n
	}
	prints := Fingerprints(fs)
	var out []analyzer.Finding
	for i, f := range fs {
		k := baselineKey(f.RuleID, f.File, prints[i])
		if left[k] > 0 {
			left[k]--
			continue
		}
		out = append(out, f)
	}
	return out
}
