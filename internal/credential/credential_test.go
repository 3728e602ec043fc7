package credential

import "testing"

func TestFind(t *testing.T) {
	tests := []struct {
		s    string
		want string
	}{
		{"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "JSON Web Token"},
		{"AKIAIOSFODNN7EXAMPLF", "AWS access key ID"},
		{"ghp_abcdefghijklmnopqrstuvwxyz0123456789", "GitHub token"},
		{"xoxb-123456789012-abcdefghijkl", "Slack token"},
		{"-----BEGIN RSA PRIVATE KEY-----\nMIIE", "private key"},
		{"Bearer 4f9a8b7c6d5e4f3a2b1c", "bearer token"},
		{"Basic dXNlcjpwYXNz", "Basic credentials"},
		{"Cookie: session=abc123def456", "Cookie header value"},
		{"user=bob&password=hunter2", "password"},
		{`{"username":"admin","password":"S3cr3t!"}`, "password"},
		// Not credentials.
		{"Bearer ", ""},
		{"Bearer ${TOKEN}", ""},
		{"Bearer <token>", ""},
		{"Basic aGVsbG8=", ""}, // "hello": no user:password
		{"password=changeme", ""},
		{"password=%s", ""},
		{`{"password":"password123"}`, ""},
		{"3f2504e0-4f89-11d3-9a0c-0305e82c3301", ""},
		{"Content-Type: application/json", ""},
		{"/api/v1/tokens?limit=10", ""},
		{"Authorization: xxx", ""},
	}
	for _, tt := range tests {
		if got := Find(tt.s); got != tt.want {
			t.Errorf("Find(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestSensitiveFieldAndPlaceholder(t *testing.T) {
	for name, want := range map[string]bool{
		"Authorization": true, "X-API-Key": true, "cookie": true, "X-CSRF-Token": true, "db_password": true,
		"Content-Type": false, "X-Request-Id": false, "Accept": false,
	} {
		if got := SensitiveField(name); got != want {
			t.Errorf("SensitiveField(%q) = %v", name, got)
		}
	}
	for v, want := range map[string]bool{
		"${TOKEN}": true, "<token>": true, "changeme": true, "xxxx": true, "your_api_key_here": true, "{{token}}": true,
		"s3cr3tP4ss": false, "a8f5f167f44f4964e6c998dee827110c": false,
	} {
		if got := IsPlaceholder(v); got != want {
			t.Errorf("IsPlaceholder(%q) = %v", v, got)
		}
	}
}
