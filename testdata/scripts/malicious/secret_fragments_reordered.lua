-- A GitHub token kept as short fragments in reverse order and joined by a loop: the decoding sandbox rebuilds it (WL601).
local frags = { "9Xc2", "kQ7v", "Lm3R", "tP8w", "Zy1N", "Hd4s", "Bq6F", "ghp_" }
local joined = {}
for i = #frags, 1, -1 do joined[#joined + 1] = frags[i] end
wrk.headers["Authorization"] = "token " .. table.concat(joined) -- want WL601
