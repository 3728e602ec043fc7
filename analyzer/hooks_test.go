package analyzer

import "testing"

// TestHookNames keeps isHookName, the fast check, in step with hookParams.
func TestHookNames(t *testing.T) {
	for name := range hookParams {
		if !isHookName(name) {
			t.Errorf("isHookName(%q) = false, but hookParams has it", name)
		}
	}
	for _, name := range hookOrder {
		if _, ok := hookParams[name]; !ok {
			t.Errorf("hook %q is in hookOrder but not in hookParams", name)
		}
	}
}
