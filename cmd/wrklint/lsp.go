package main

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/internal/lsp"
)

func newLSPCmd(opts *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lsp",
		Short: "Run the language server (LSP over stdio) for editors",
		Long: `Run wrklint as a language server: the editor starts "wrklint lsp" and
speaks the Language Server Protocol on its standard input and output.
Open Lua scripts are analysed when opened, after changes (300 ms after
the last one) and when saved, with the .wrklint.yml found from each
script's directory, read again for every analysis. Findings come with a
link to the rule's page, a quick fix that inserts a wrklint:ignore
directive, and the rule's documentation on hover. See docs/editors.md.

Exits 0 after the client's shutdown and exit, 1 when the client goes
away without them.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			err := lsp.Serve(cmd.Context(), stdio{opts.Stdin, opts.Stdout}, lsp.Options{
				Rules:   opts.Rules,
				Version: opts.Version,
				Config:  func(path string) (analyzer.Options, bool, error) { return lspConfig(opts, path) },
				Explain: func(r *analyzer.Rule) string {
					var b strings.Builder
					_ = explain(&b, r) // a strings.Builder does not fail
					return b.String()
				},
			})
			switch {
			case err == nil:
				return nil
			case errors.Is(err, lsp.ErrNoShutdown), errors.Is(err, context.Canceled):
				return &exitStatus{code: exitFindings} // LSP: exit 1 without shutdown
			}
			return err
		},
	}
	// vscode-languageclient and other clients append --stdio when they
	// start a server on stdio; stdio is the only transport, so it is
	// accepted and changes nothing.
	cmd.Flags().Bool("stdio", false, "speak LSP on standard input and output (the default and only transport)")
	return cmd
}

// lspConfig is the configuration for one script, as a run of "wrklint
// path" from the script's directory would use: the nearest .wrklint.yml
// from there up, its rules, levels and allowances, and whether its
// exclude covers the script. A document that is not a file gets the
// defaults.
func lspConfig(opts *options, path string) (analyzer.Options, bool, error) {
	cfg := analyzer.Options{Rules: opts.Rules}
	if path == "" {
		return cfg, false, nil
	}
	dir := filepath.Dir(path)
	project, err := config.Resolve("", dir) // the defaults when there is no file
	if err != nil {
		return cfg, false, err
	}
	cfg.Policy, cfg.Disabled, cfg.Levels, cfg.Secrets = project.Policy, project.Disabled, project.Levels, &project.Secrets
	exclude := project.ExcludeFunc(dir)
	return cfg, exclude != nil && exclude(path), nil
}

// stdio joins the process's standard input and output into the stream
// the server speaks on. Close does nothing: the process owns them.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return nil }
