package luart

import (
	"github.com/wrklint/wrklint/internal/audit"
	"github.com/wrklint/wrklint/internal/redact"
)

// Run-time defenses: redaction of what the script writes and the audit
// log of what it does. Both are off (nil) unless the CLI turns them on;
// the hooks in the sandbox call the helpers below, which cost one nil
// check when they are off.

// audit records e with the state's hook, thread and calling line.
func (st *state) audit(e audit.Event) {
	log := st.s.opts.Audit
	if log == nil {
		return
	}
	e.Hook, e.Thread, e.At = st.hook, st.idx, where(st.ls)
	log.Record(e)
}

// redacted records that a write by the script masked n secrets.
func (st *state) redacted(n int) {
	if n > 0 {
		st.audit(audit.Event{Kind: audit.KindRedaction, Count: n})
	}
}

// redactMsg masks secrets in an error message the script raised: it ends
// up on stderr like anything the script prints.
func (st *state) redactMsg(msg string) string {
	set := st.s.opts.Secrets
	if set == nil {
		return msg
	}
	out, n := set.Redact(msg)
	st.redacted(n)
	return out
}

// envRead registers the value of an allowed environment variable the
// script read when its name marks a secret.
func (st *state) envRead(name, value string) {
	set := st.s.opts.Secrets
	if set == nil {
		return
	}
	names := st.s.opts.SecretNames
	if names.Env == nil && names.NotEnv == nil {
		names = redact.DefaultNames()
	}
	if names.Secret(name) {
		set.AddPinned(value)
	}
}

// sentHeader registers a credential header wrk.format put in a request.
func (s *Script) sentHeader(name, value string) {
	if s.opts.Secrets != nil {
		s.opts.Secrets.AddHeader(name, value)
	}
}

// registerHeaders registers the credential headers given with -H.
func (s *Script) registerHeaders() {
	for _, h := range s.opts.Headers {
		s.sentHeader(h.Name, h.Value)
	}
}

// FlushOutput writes what the redactors hold back (an unterminated last
// line, the start of a secret split across writes). The CLI calls it
// before printing its own report, so that the order of the output is
// kept; Done and Close call it too.
func (s *Script) FlushOutput() {
	for _, w := range []*lockedWriter{s.stdout, s.stderr, s.warnings.w} {
		if w == nil || w.red == nil {
			continue
		}
		w.mu.Lock()
		_ = w.red.Flush() // script output ignores write errors, as print does
		w.mu.Unlock()
	}
}
