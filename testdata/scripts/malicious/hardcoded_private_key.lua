-- A PEM private key pasted into the script (WL601 at the line where the literal starts).

local key = "-----BEGIN RSA PRIVATE KEY-----\n" .. -- want WL601
   "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n" ..
   "KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm\n" ..
   "o3qGy0t6z09AIJtH+5OeRV1be+N4cDYJKffGzDa88vQENZiRm0GRq6a+HPGQMd2k\n" ..
   "TQIhAKMSvzIBnni7ot/OSie2TmJLY4SwTQAevXysE2RbFDYdAiEBCUEaRQnMnbp7\n" ..
   "-----END RSA PRIVATE KEY-----\n"

local ec = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oMhRnC0Z9G2qoAoGCCqGSM49\n-----END EC PRIVATE KEY-----\n" -- want WL601

local sig = string.format("%08x-%08x", #key, #ec)

function request()
   return wrk.format("GET", "/signed", { ["X-Signature"] = sig })
end
