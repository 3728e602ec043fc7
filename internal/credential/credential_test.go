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
		{"<login><user>bob</user><password>oxiapi</password></login>", "password"},
		{"<token>zMocQuYjdHwGvzy3c9AcHU7jgx</token>", "token"},
		// Not credentials.
		{"<password>${PASSWORD}</password>", ""},
		{"<password></password>", ""},
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
		// Form-encoded, JSON and XML bodies alike.
		{"grant_type=password&username=u&password=test00000", "password"},
		{"grant_type=password&username=u&password=test00000&client_id=app", "password"},
		{`{"username":"u","password":"test00000"}`, "password"},
		{"<login><user>u</user><password>test00000</password></login>", "password"},
		{"<password>oxiapi</password>", "password"},
		{"<auth><apiKey>9f8e7d6c5b4a3928</apiKey></auth>", "apikey"},
		{"<ns:Password xsi:type=\"xsd:string\">hunter22</ns:Password>", "password"},
		{"<token>zMocQuYjdHwGvzy3c9AcHU7jgxJoO2cz</token>", "token"},
		{"client_id=app&client_secret=Zx81kPq0", "client_secret"},
		{`{"apiKey": "9f8e7d6c5b4a3928"}`, "apikey"},
		{"user=bob&pass=s3cr3tP4ss", "pass"},
		// Placeholders in the three shapes.
		{"grant_type=password&username=user&password=${PASSWORD}", ""},
		{"username=user&password=changeme", ""},
		{"<password>{{password}}</password>", ""},
		{"<password>xxx</password>", ""},
		{"<apiKey>%s</apiKey>", ""},
		{"<token><token></token>", ""},
		{`{"password":"<password>"}`, ""},
		{`{"password":"FakePassword"}`, ""},
		{`{"token":"{{token}}"}`, ""},
		{"<password>password1</password>", ""},
		{"password=%s&grant_type=password", ""},
		// Element and key names that only contain a credential word.
		{"<passwordPolicy>strict-mode</passwordPolicy>", ""},
		{"bypass=enabled&compass=north", ""},
		{`<input type="password" name="pw">`, ""},
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
		"user": true, "FakeCookie": true, "xxx": true, "%s": true, "{{password}}": true, "password123": true,
		"s3cr3tP4ss": false, "a8f5f167f44f4964e6c998dee827110c": false, "test00000": false, "user1234": false,
	} {
		if got := IsPlaceholder(v); got != want {
			t.Errorf("IsPlaceholder(%q) = %v", v, got)
		}
	}
}

func TestFindEncoded(t *testing.T) {
	reversed := reverse
	tests := []struct {
		name, s, want string
	}{
		{"reversed form", reversed("username=svc&password=Zp7Rx2Lm8Qv"), "password, reversed"},
		{"rot13 json", `{"hfreanzr":"nqzva","cnffjbeq":"Gu3Fu1cC3e!"}`, "password, ROT13-encoded"},
		{"hex GitHub token", "6768705f616263646566676869676b6c6d6e6f707172737475767778797a30313233343536373839", "GitHub token, hex-encoded"},
		{"base64 bearer", "QmVhcmVyIDRmOWE4YjdjNmQ1ZTRmM2EyYjFj", "bearer token, base64-encoded"},
		{"plain is Find's", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", ""},
		{"hex of nothing", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ""},
		{"base64 of text", "aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZQ==", ""},
		{"short", "drowssap", ""},
		{"path", "/api/v1/users/reversed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FindEncoded(tt.s); got != tt.want {
				t.Errorf("FindEncoded(%q) = %q, want %q", tt.s, got, tt.want)
			}
		})
	}
}

func TestFindInBytes(t *testing.T) {
	enc := func(s string, f func(byte) byte) []byte {
		b := []byte(s)
		for i := range b {
			b[i] = f(b[i])
		}
		return b
	}
	const key = "AKIAIOSFODNN7EXAMPLF"
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"plain", []byte(key), "AWS access key ID, as byte values"},
		{"xor 0x5a", enc(key, func(c byte) byte { return c ^ 0x5a }), "AWS access key ID, XOR-encoded byte values"},
		{"shift 3", enc(key, func(c byte) byte { return c + 3 }), "AWS access key ID, shifted byte values"},
		{"random bytes", []byte{3, 200, 17, 99, 250, 1, 0, 42, 77, 128, 5, 6, 7, 8}, ""},
		{"too short", []byte("ghp_x"), ""},
		{"text", []byte("hello, world, this is fine"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FindInBytes(tt.b); got != tt.want {
				t.Errorf("FindInBytes(%v) = %q, want %q", tt.b, got, tt.want)
			}
		})
	}
}

func TestPlaceholderFormatDirectives(t *testing.T) {
	for _, v := range []string{"%08d", "pw-%05d", "%s", "%.3f", "%-10s"} {
		if !IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = false, want true (a format template)", v)
		}
	}
	// A percent sign that starts no directive is part of a password.
	if v := "x9%Kq2!bZ7"; IsPlaceholder(v) {
		t.Errorf("IsPlaceholder(%q) = true, want false", v)
	}
}
