-- Secrets split across concatenations.
local jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" .. "." ..
   "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0" .. "." .. -- want@-1 WL601
   "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
wrk.headers["Authorization"] = "Bearer " .. jwt
local aws = "AKIA" .. "IOSFODNN7" .. "EXAMPLQ" -- want WL601
local gh = "ghp_" .. "1234567890abcdefghijklmnopqrstuvwxyz" -- want WL601
local slack = "xoxb-" .. "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx" -- want WL601
wrk.headers["Authorization"] = "Basic " .. "YWRtaW46czNjcjN0UGFzcw==" -- want WL601
