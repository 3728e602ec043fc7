-- Secrets in long strings.
local key = [==[
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA1234567890abcdefghijklmnopqrstuvwxyz
-----END RSA PRIVATE KEY-----
]==] -- want@-4 WL601
wrk.body = [[{"username":"admin","password":"Sup3rS3cretPw!"}]] -- want WL601
wrk.headers["X-Api-Key"] = [[9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08]] -- want WL601
