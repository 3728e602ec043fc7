// Package rules declares wrklint's rule catalogue. Each family of rules
// lives in its own file; All lists them in ID order.
package rules

import "github.com/wrklint/wrklint/analyzer"

// All returns every rule of the catalogue in ID order. The slice is new on
// every call; the rules it points to must not be modified.
func All() []*analyzer.Rule {
	return []*analyzer.Rule{
		analyzer.ParseErrorRule,         // WL001, reported by the engine
		analyzer.MalformedDirectiveRule, // WL002, reported by the engine
		analyzer.UnusedSuppressionRule,  // WL003, reported by the engine
		analyzer.ModuleNotFoundRule,     // WL004, reported by the engine
		FileWrite,                       // WL101
		FileRead,                        // WL102
		CommandExecution,                // WL103
		FilesystemMutation,              // WL104
		EnvironmentRead,                 // WL201
		NetworkModule,                   // WL301
		DynamicCode,                     // WL401
		DynamicGlobalAccess,             // WL402
		CapabilityEscape,                // WL403
		ResponseDataOutput,              // WL501
		SecretOutput,                    // WL502
		Exfiltration,                    // WL503
		CodeInjection,                   // WL504
		HardcodedSecret,                 // WL601
		TargetRedirect,                  // WL701
		MisspelledHook,                  // WL801
		LocalHook,                       // WL802
		ThreadStateInDone,               // WL803
		RequestWithoutResult,            // WL804
		UnknownWrkField,                 // WL805
	}
}
