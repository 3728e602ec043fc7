-- WL801: Init with a capital letter is not init: the token header is never set.
local token_prefix = "bench-"

function Init(args) -- want WL801
   wrk.headers["X-Client"] = token_prefix .. (args[1] or "default")
end
