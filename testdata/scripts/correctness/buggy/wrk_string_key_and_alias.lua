-- WL805: unknown fields through a constant string key and through an alias of wrk.
local w = wrk
wrk["uri"] = "/" -- want WL805
w.bodys = "{}" -- want WL805
