-- Keeps the login form with the service account's real password reversed and :reverse()s it into the POST body; class: secret-decode (string reverse)
local form = "!9Wt4Zp7Rx2Lm8Qv=drowssap&tsetdaol-cvs=emanresu" -- want WL601

wrk.method = "POST"
wrk.path = "/login"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = form:reverse()
